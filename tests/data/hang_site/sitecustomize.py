"""Put on PYTHONPATH by tests/test_collect_pool.py: in pool workers only, reading a file whose
name starts with 卡住 never ends, as a reader caught in a loop on a malformed file would."""
import multiprocessing
import time


def _hang_on_stuck_names() -> None:
    import formgen.intake.extract as extract

    real = extract.extract_source

    def extract_source(source, *args, **kwargs):
        if source.name.startswith("卡住") and multiprocessing.parent_process() is not None:
            while True:
                time.sleep(0.5)
        return real(source, *args, **kwargs)

    extract.extract_source = extract_source


try:
    _hang_on_stuck_names()
except ImportError:  # an interpreter without formgen (the system's own tools)
    pass
