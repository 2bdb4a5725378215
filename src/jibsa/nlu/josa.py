"""Korean particles chosen by the sound before them (거실 조명을 / 에어컨을 / TV를), and numbers read
aloud as Korean does (25도 -> 스물다섯 is never needed in writing; we write digits with Korean units)."""

from __future__ import annotations

# How the last letter of a Latin word or digit ends when read in Korean: True = with a final consonant.
_LATIN_FINAL = {
    "a": False, "b": False, "c": False, "d": False, "e": False, "f": False, "g": False, "h": False, "i": False,
    "j": False, "k": False, "l": True, "m": True, "n": True, "o": False, "p": False, "q": False, "r": False,
    "s": False, "t": False, "u": False, "v": False, "w": False, "x": False, "y": False, "z": False,
}  # fmt: skip
# 0 영, 1 일, 2 이, 3 삼, 4 사, 5 오, 6 육, 7 칠, 8 팔, 9 구: which end in a consonant, and which in ㄹ.
_DIGIT_FINAL = {"0": True, "1": True, "2": False, "3": True, "4": False, "5": False, "6": True, "7": True,
                "8": True, "9": False}  # fmt: skip
_DIGIT_RIEUL = {"1", "7", "8"}
_PAIRS = {"을": ("을", "를"), "를": ("을", "를"), "이": ("이", "가"), "가": ("이", "가"), "은": ("은", "는"),
          "는": ("은", "는"), "과": ("과", "와"), "와": ("과", "와"), "아": ("아", "야"), "야": ("아", "야"),
          "이에요": ("이에요", "예요"), "예요": ("이에요", "예요"), "이랑": ("이랑", "랑"),
          "이요": ("이요", "요"), "이라는": ("이라는", "라는"), "라는": ("이라는", "라는")}  # fmt: skip


def _final(word: str) -> tuple[bool, bool]:
    """(ends with a final consonant, that consonant is ㄹ) for the last sound of `word`."""
    word = word.rstrip(" )]}'\".")
    if not word:
        return False, False
    ch = word[-1]
    code = ord(ch) - 0xAC00
    if 0 <= code < 11172:
        jong = code % 28
        return jong != 0, jong == 8
    if ch.isdigit():
        if len(word) >= 2 and word[-2:] == "10":
            return True, False  # 십
        if word.endswith("00"):
            return True, False  # 백, 천: both end in a consonant
        return _DIGIT_FINAL[ch], ch in _DIGIT_RIEUL
    if ch == "%":
        return False, False  # 퍼센트
    if ch == "°" or word.endswith("°C"):
        return False, False  # 도
    low = ch.lower()
    if low in _LATIN_FINAL:
        return _LATIN_FINAL[low], low == "l"
    return False, False


def josa(word: str, particle: str) -> str:
    """`word` followed by the right form of `particle`: josa("TV", "을") -> "TV를"."""
    if particle in ("으로", "로"):
        final, rieul = _final(word)
        return word + ("으로" if final and not rieul else "로")
    pair = _PAIRS.get(particle)
    if pair is None:
        return word + particle
    final, _ = _final(word)
    return word + (pair[0] if final else pair[1])


def join_names(names: list[str], particle: str = "과") -> str:
    """ "거실 천장등과 거실 스탠드": names joined with 과/와, as Korean lists them."""
    if not names:
        return ""
    out = names[0]
    for name in names[1:]:
        out = josa(out, particle) + " " + name
    return out


def number_text(value: float) -> str:
    """24.0 -> '24', 24.5 -> '24.5'."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def duration_text(seconds: float) -> str:
    """5400 -> '1시간 30분', 90 -> '1분 30초'."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours}시간" if hours else "", f"{minutes}분" if minutes else "", f"{secs}초" if secs else ""]
    return " ".join(p for p in parts if p) or "0초"


_PERIODS = ((6, "새벽"), (12, "오전"), (13, "낮"), (18, "오후"), (22, "저녁"), (25, "밤"))


def clock_text(at: str) -> str:
    """'21:00' -> '저녁 9시', '06:30' -> '오전 6시 30분'."""
    hour, _, minute = at.partition(":")
    h, m = int(hour), int(minute or 0)
    period = next(name for limit, name in _PERIODS if h < limit)
    shown = h if h <= 12 else h - 12
    shown = 12 if shown == 0 else shown
    return f"{period} {shown}시" + (f" {m}분" if m else "")
