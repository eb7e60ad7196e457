"""kb export --format xlsx|docx and kb import: thin wrappers with the CLI's exit codes and 错误： lines."""

import json

import openpyxl

from conftest import run_kb
from office_util import knowledge_base, records, registry_copy


def test_export_needs_out_for_office_formats(tmp_path):
    root = knowledge_base(tmp_path)
    result = run_kb("--root", str(root), "export", "--format", "xlsx")
    assert (result.returncode, result.stderr) == (2, "错误：--format xlsx 需要用 --out 指定输出文件（.xlsx）\n")
    result = run_kb("--root", str(root), "export", "--format", "docx")
    assert (result.returncode, result.stderr) == (2, "错误：--format docx 需要用 --out 指定输出目录\n")
    assert run_kb("--root", str(root), "export", "--format", "pdf").returncode == 2


def test_json_stays_the_default(tmp_path):
    root = knowledge_base(tmp_path)
    plain = run_kb("--root", str(root), "export")
    assert plain.returncode == 0 and [r["id"] for r in json.loads(plain.stdout)] == ["sample-home-visit"]
    out = tmp_path / "public.json"
    assert run_kb("--root", str(root), "export", "--out", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8") == plain.stdout


def test_export_edit_dry_run_update(tmp_path):
    root = knowledge_base(tmp_path)
    book = tmp_path / "kb.xlsx"
    result = run_kb("--root", str(root), "export", "--format", "xlsx", "--out", str(book))  # internal: for editing
    assert result.returncode == 0, result.stderr
    assert result.stdout == (f"已导出 2 条记录到 {book}（内部版：全部字段和草稿，只在单位内部传递）。"
                             f"改好后运行：kb import {book} --update --dry-run\n")
    assert openpyxl.load_workbook(book).properties.subject == "内部版"
    again = run_kb("--root", str(root), "export", "--format", "xlsx", "--out", str(book))
    assert again.returncode == 1 and again.stderr.startswith(f"错误：{book} 已存在，不会覆盖")
    wb = openpyxl.load_workbook(book)
    wb["事项"]["AA3"] = "户政管理科"
    wb.save(book)
    before = records(root)
    dry = run_kb("--root", str(root), "import", str(book), "--update", "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert dry.stdout == ("修改 solutions/sample-home-visit.yml：样例：失能人员居民身份证换领上门服务（1 处）\n"
                          "  review.owner：“户籍管理科” → “户政管理科”\n"
                          "未改动 1 条记录\n"
                          "试运行（--dry-run）：会写入 1 个文件，现在没有写入任何文件。\n")
    assert records(root) == before
    done = run_kb("--root", str(root), "import", str(book), "--update")
    assert done.returncode == 0 and done.stdout.endswith("已写入 1 个文件。下一步：kb check，然后预览或提交。\n")
    assert records(root)["sample-home-visit"]["review"]["owner"] == "户政管理科"
    assert run_kb("--root", str(root), "check").returncode == 0


def test_import_problems_exit_1_and_write_nothing(tmp_path):
    root = knowledge_base(tmp_path)
    book = tmp_path / "kb.xlsx"
    run_kb("--root", str(root), "export", "--format", "xlsx", "--edition", "internal", "--out", str(book))
    wb = openpyxl.load_workbook(book)
    wb["事项"]["D2"] = "已经发布"
    wb.save(book)
    empty = registry_copy(root, tmp_path)
    result = run_kb("--root", str(empty), "import", str(book))
    assert result.returncode == 1
    assert result.stdout == (f"{book}:事项!D2: status: “已经发布”不是可选值，是否应为“已发布”？"
                             "（可选：草稿、已发布、已停用，请从下拉列表中选择）\n")
    assert result.stderr == "错误：工作簿有 1 个问题，没有写入任何文件。\n"
    assert not list((empty / "solutions").glob("*.yml"))


def test_import_usage_errors_exit_2(tmp_path):
    root = knowledge_base(tmp_path)
    missing = run_kb("--root", str(root), "import", str(tmp_path / "nope.xlsx"))
    assert (missing.returncode, missing.stderr) == (2, f"错误：找不到工作簿文件：{tmp_path / 'nope.xlsx'}\n")
    nowhere = run_kb("--root", str(tmp_path / "nowhere"), "import", str(tmp_path / "nope.xlsx"))
    assert nowhere.returncode == 2 and "找不到 solutions/" in nowhere.stderr
    not_xlsx = tmp_path / "list.xlsx"
    not_xlsx.write_text("编号,标题\n", encoding="utf-8")
    result = run_kb("--root", str(root), "import", str(not_xlsx))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.startswith(f"{not_xlsx}: (文件): 是纯文本（CSV 或制表符分隔的文本），不是 xlsx 工作簿")


def test_docx_export(tmp_path):
    root = knowledge_base(tmp_path)
    out = tmp_path / "word"
    result = run_kb("--root", str(root), "export", "--format", "docx", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"已导出 1 份工作提示和汇编 工作提示汇编-公开版.docx 到 {out}/（public）。\n"
    again = run_kb("--root", str(root), "export", "--format", "docx", "--out", str(out))
    assert again.returncode == 1 and "已存在且不是空目录" in again.stderr
    assert run_kb("--root", str(root), "export", "--format", "docx", "--out", str(out), "--force").returncode == 0


def test_a_public_workbook_is_exported_only_when_asked_and_says_what_it_is_for(tmp_path):
    root = knowledge_base(tmp_path)
    book = tmp_path / "public.xlsx"
    result = run_kb("--root", str(root), "export", "--format", "xlsx", "--edition", "public", "--out", str(book))
    assert result.returncode == 0, result.stderr
    assert "公开版" in result.stdout and "只能用来新增记录" in result.stdout and "--update" not in result.stdout
    assert result.stdout.endswith(f"新增记录后运行：kb import {book} --dry-run\n")
    assert openpyxl.load_workbook(book).properties.subject == "公开版"
    # json and docx stay public by default
    assert [r["id"] for r in json.loads(run_kb("--root", str(root), "export").stdout)] == ["sample-home-visit"]
