import pytest

from iroscope.data.dataset import Dataset
from iroscope.synth.generator import SynthConfig, generate
from tests.conftest import TODAY


@pytest.fixture(scope="session")
def authority() -> Dataset:
    """A synthetic authority of 400 children over three years, shared by the synthetic data's tests."""
    return generate(SynthConfig(children=400, years=3, seed=7), today=TODAY)
