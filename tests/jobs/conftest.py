import pytest


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.LABORCREDIT_JOBS_INLINE = True
    return tmp_path
