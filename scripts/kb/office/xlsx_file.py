"""Is this file a workbook that can be read? Size, format (not .xls, CSV, Strict Open XML, encrypted), zip bombs —
before openpyxl opens it. A problem is one Chinese sentence saying what the file is and how to re-save it.
"""

from __future__ import annotations

import io
import re
import zipfile


#: A merged range in a sheet's XML, counted before openpyxl builds one object per merged cell.
_MERGE_REF = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([^\"]+)\"")
#: Merged cells in all sheets at most (each becomes an object when the workbook is opened).
MAX_MERGED = 100_000
#: The largest workbook read (bytes).
MAX_BYTES = 10 * 1024 * 1024


#: An xlsx is a zip: refuse one that unpacks to more than this (a "zip bomb").
MAX_UNPACKED = 200 * 1024 * 1024


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


#: The main namespace of a workbook saved as "Strict Open XML Spreadsheet" (ISO/IEC 29500 Strict).
_STRICT_NS = b"http://purl.oclc.org/ooxml/spreadsheetml/main"


_ZIP_MAGIC = b"PK\x03\x04"


def _file_problem(raw: bytes) -> str | None:
    """Why ``raw`` is not an xlsx workbook this reader may open, or None."""
    from openpyxl.utils import range_boundaries  # (openpyxl is imported where a workbook is read)
    if raw.startswith(_OLE_MAGIC):
        # An OLE compound file: an old .xls (a "Workbook"/"Book" stream), or an xlsx
        # encrypted with a password (Office wraps it in "EncryptionInfo" + "EncryptedPackage").
        if "EncryptedPackage".encode("utf-16-le") in raw or "EncryptionInfo".encode("utf-16-le") in raw:
            return ("工作簿设有打开密码（已加密），无法读取：请在 Excel/WPS 中打开，"
                    "在“文件 → 信息 → 保护工作簿 → 用密码进行加密”（WPS：“文件 → 文档加密”）中清除密码后另存，再导入")
        if "Workbook".encode("utf-16-le") in raw or "Book".encode("utf-16-le") in raw:
            return "是旧版 Excel 97-2003 工作簿（.xls），不是 .xlsx：请在 Excel/WPS 中“另存为 → Excel 工作簿（*.xlsx）”后再导入"
        return "是 Office 97-2003 格式的文件（不是 .xlsx 工作簿）：请另存为 Excel 工作簿（*.xlsx）后再导入"
    if not raw.startswith(_ZIP_MAGIC):
        if not raw:
            return "文件是空的（0 字节），不是 xlsx 工作簿"
        if raw.startswith(b"%PDF"):
            return "是 PDF 文件，不是 xlsx 工作簿"
        head = raw[:4096]
        try:
            text = head.decode("utf-8") if not head.startswith(b"\xff\xfe") else head.decode("utf-16")
        except UnicodeDecodeError:
            try:
                text = head.decode("gb18030")
            except UnicodeDecodeError:
                text = None
        if text is not None and ("," in text or "\t" in text or "\n" in text):
            if text.lstrip().startswith("<"):
                return "是网页或 XML 文本（可能是“另存为网页”或改了扩展名），不是 xlsx 工作簿：请另存为 Excel 工作簿（*.xlsx）"
            return "是纯文本（CSV 或制表符分隔的文本），不是 xlsx 工作簿：CSV 会丢掉下拉列表和文本格式，请用 kb export --format xlsx 导出的工作簿编辑"
        return "不是 xlsx 工作簿（文件内容不是 Excel 的格式，可能是其他文件改了扩展名）"
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        names = set(archive.namelist())
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return "文件已损坏（不是完整的 xlsx 压缩包），请重新保存或重新导出"
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            return "是 Word 文档（.docx）改了扩展名，不是 xlsx 工作簿"
        if "ppt/presentation.xml" in names:
            return "是 PowerPoint 演示文稿改了扩展名，不是 xlsx 工作簿"
        if "content.xml" in names and "mimetype" in names:
            return "是 OpenDocument 表格（.ods）或其他 ODF 文件，不是 xlsx：请另存为 Excel 工作簿（*.xlsx）"
        return "是 zip 压缩包，但不是 xlsx 工作簿（可能是其他文件改了扩展名）"
    if unpacked > MAX_UNPACKED:
        return f"解压后过大（{unpacked:,} 字节，上限 {MAX_UNPACKED:,} 字节），不予读取"
    if _STRICT_NS in archive.read("xl/workbook.xml")[:8192]:
        # openpyxl reads only the usual ("transitional") form: every sheet would look missing.
        return ("是以“Strict Open XML 电子表格”格式保存的工作簿，导入读不了这种格式：请在 Excel 中打开，"
                "“文件 → 另存为”，保存类型选“Excel 工作簿 (*.xlsx)”（WPS 选“Excel 文件 (*.xlsx)”）后再导入")
    if "xl/vbaProject.bin" in names:
        return "含有宏（VBA）：请另存为不含宏的 Excel 工作簿（*.xlsx）后再导入"
    merged = 0
    for name in names:
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            for ref in _MERGE_REF.findall(archive.read(name)):
                try:
                    low_col, low_row, high_col, high_row = range_boundaries(ref.decode("ascii", "replace"))
                except (ValueError, TypeError):
                    continue
                merged += (high_row - low_row + 1) * (high_col - low_col + 1)
    if merged > MAX_MERGED:
        # openpyxl makes an object for every merged cell: a merge of whole columns would never finish.
        return f"合并单元格的范围过大（共 {merged:,} 个单元格），不予读取：请取消合并后再导入"
    return None
