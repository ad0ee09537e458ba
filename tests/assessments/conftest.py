import pytest

from standards.models import (
    BehaviourIndicator,
    Duty,
    Industry,
    JobCategory,
    Occupation,
    Standard,
    Task,
    WorkOutput,
)


@pytest.fixture
def small_standard(db) -> Standard:
    """A published two-duty, three-task standard built directly (much faster than an import)."""
    standard = Standard.objects.create(
        code="TST0001-001v1",
        family_code="TST0001-001",
        name="測試職能基準",
        publication=Standard.Publication.PUBLISHED,
        category=JobCategory.objects.create(code="TST", name="測試職類"),
        occupation=Occupation.objects.create(code="0001", name="測試職業"),
        industry=Industry.objects.create(code="T0001", name="測試行業"),
        base_level=3,
    )
    for d, levels in enumerate([(3, 4), (2,)], start=1):
        duty = Duty.objects.create(standard=standard, code=f"T{d}", title=f"職責{d}", order=d)
        for t, level in enumerate(levels, start=1):
            task = Task.objects.create(
                duty=duty, code=f"T{d}.{t}", title=f"任務{d}.{t}", level=level, order=t
            )
            BehaviourIndicator.objects.create(
                task=task, code=f"P{d}.{t}.1", text=f"行為指標{d}.{t}", order=1
            )
            WorkOutput.objects.create(task=task, code=f"O{d}.{t}.1", text=f"產出{d}.{t}", order=1)
    return standard
