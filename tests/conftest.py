import datetime as dt
from pathlib import Path

import pytest

TODAY = dt.date(2026, 11, 22)
# The DfE validator project's deliberately messy fake return, beside the repository (never copied in).
FAKE_903 = next(
    (
        candidate / "external" / "d2i-fake-903"
        for candidate in (Path(__file__).resolve().parents[2] / "shared", Path("/work/shared"))
        if (candidate / "external" / "d2i-fake-903").is_dir()
    ),
    Path("/work/shared/external/d2i-fake-903"),
)

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
REVIEWS = "CHILD,DOB,REVIEW,REVIEW_CODE"


def write_return(root: Path, year: str, files: dict[str, list[str]]) -> Path:
    """Write one year's SSDA903 CSVs: {file name: [header line, row, row, ...]}."""
    folder = root / "ssda903" / year
    folder.mkdir(parents=True, exist_ok=True)
    for name, lines in files.items():
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


# A clean 2024-25 return: child A in care all year with two reviews; child B aged 2.
SMALL_RETURN = {
    "header.csv": [HEADER, "A,M,01/06/2012,WBRI,UN2,,", "B,F,10/01/2022,MWBC,UN1,,"],
    "episodes.csv": [
        EPISODES,
        "A,06/01/2025,S,C1,N1,U6,PR1,,,,DN34 5JH,DN34 5JF,SC123456",
        "B,01/05/2024,S,V2,N4,U4,PR4,,,,DN34 5JH,DN36 5YQ,SC654321",
    ],
    "reviews.csv": [REVIEWS, "A,01/06/2012,03/02/2025,PN1", "B,10/01/2022,29/05/2024,PN0"],
}


@pytest.fixture
def small_return(tmp_path: Path) -> Path:
    """`SMALL_RETURN` as a data folder."""
    write_return(tmp_path, "2024-25", SMALL_RETURN)
    return tmp_path
