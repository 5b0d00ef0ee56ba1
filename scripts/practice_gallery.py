"""Screenshots of the practice copies, scam drills and quiz for docs/practice/ (at most 20 PNGs),
and of the tạm trú practice copy (issue 16) in docs/practice/cu-tru/.

    PYTHONPATH=. python scripts/practice_gallery.py [OUT_DIR]

Runs the real kiosk headless through `kiosk replay` (journeys built from the content by
kiosk.core.content.practice_replay, with fixed made-up codes) and keeps the named screenshots.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.core.content import practice_replay as pr  # noqa: E402
from kiosk.core.content.lessons import TOPICS, load_catalog  # noqa: E402

SEED = "gallery"


def journeys(catalog):
    yield "vneid", pr.to_lesson(catalog, "bhyt-tren-vneid") + [{"screenshot": "01-bai-hoc-co-thu-lam"}] + \
        pr.practice_journey(catalog, "vneid", SEED, wrong_at=(0,), shots={
            "wrong:0": "02-vneid-cham-sai-duoc-sua", "typed:2": "03-vneid-nhap-ma-otp",
            "typed:4": "04-vneid-nhap-passcode", 6: "05-vneid-the-bao-hiem-y-te"})
    yield "dvc", pr.to_lesson(catalog, "dvc-ly-lich-tu-phap") + \
        pr.practice_journey(catalog, "dich-vu-cong", SEED, wrong_at=(9,), shots={
            1: "06-dvc-dang-nhap-vneid", "typed:8": "07-dvc-khai-so-luong",
            "wrong:9": "08-dvc-tra-phi-truoc-khi-nop", 10: "09-dvc-nop-ho-so", 11: "10-dvc-ma-so-ho-so"})
    yield "qr", pr.to_lesson(catalog, "thanh-toan-vietqr") + \
        pr.practice_journey(catalog, "thanh-toan-qr", SEED, wrong_at=(7,), shots={
            1: "11-qr-quet-ma", 2: "12-qr-kiem-tra-ten", "wrong:7": "13-qr-sai-ten-phai-dung",
            "done": "14-qr-xong"})
    yield "drills", [{"tap": "Bắt đầu"}, {"tap": TOPICS["safety"]}, {"screenshot": "15-an-toan-co-nhan-biet-lua-dao"},
                     {"tap": "Quay lại"}] + pr.drills_journey(catalog, shots={
                         "list": "16-danh-sach-tinh-huong", "wrong:0": "17-goi-video-gia-cong-an-chon-sai",
                         "drill:1": "18-tin-nhan-cap-nhat-vneid", "right:3": "19-zalo-nguoi-than-chon-dung"})
    yield "cu-tru/", pr.to_lesson(catalog, "vneid-dang-ky-tam-tru") + \
        pr.practice_journey(catalog, "cu-tru", SEED, wrong_at=(2,), shots={
            2: "01-thu-tuc-hanh-chinh", "wrong:2": "02-cham-sai-duoc-sua", "typed:3": "03-passcode",
            5: "04-ban-than-hay-khai-ho", 6: "05-thong-tin-dang-ky", 8: "06-giay-to-kem-theo",
            "done": "07-xong"})
    yield "quiz", pr.to_lesson(catalog, "lua-dao-cuoc-goi") + pr.quiz_journey(catalog, "lua-dao-cuoc-goi", shots={
        "answer:0": "20-kiem-tra-nhanh-tra-loi-sai"})


def main(out: Path) -> int:
    catalog = load_catalog(ROOT / "lessons")
    out.mkdir(parents=True, exist_ok=True)
    for old in [*out.glob("*.png"), *out.glob("*/*.png")]:
        old.unlink()
    env = dict(os.environ, KIOSK_PRACTICE_SEED=SEED, PYTHONPATH=str(ROOT))
    env.pop("DISPLAY", None)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name, lines in journeys(catalog):
            name, into = name.rstrip("/"), out / name if name.endswith("/") else out
            into.mkdir(exist_ok=True)
            script = tmp / f"{name}.jsonl"
            script.write_text("\n".join(json.dumps(l, ensure_ascii=False) for l in lines) + "\n", encoding="utf-8")
            shots = tmp / name
            r = subprocess.run([sys.executable, "-m", "kiosk", "replay", str(script), "--screenshots", str(shots),
                                "--data", str(tmp / "data")], env=env, cwd=ROOT, capture_output=True, text=True)
            if r.returncode != 0:
                print(r.stderr[-2000:], file=sys.stderr)
                return 1
            for png in shots.glob("[0-9][0-9]-*.png"):
                shutil.copy(png, into / png.name)
    names = sorted(p.name for p in out.glob("*.png"))
    print(f"{len(names)} screenshots in {out}")
    return 0 if 0 < len(names) <= 20 else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "practice"))
