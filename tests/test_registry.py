import pytest

from nlp_service import registry
from nlp_service.pipeline import DEFAULT_COMPONENTS, Pipeline


def test_default_components_are_registered_with_versions():
    for name in DEFAULT_COMPONENTS:
        comp = registry.get(name)
        assert comp.name == name and ".v" in name


def test_pipeline_refuses_components_whose_inputs_are_missing(pipeline):
    with pytest.raises(ValueError, match="needs"):
        Pipeline(pipeline.resources, ("paragraphs.v1",))


def test_unknown_component_lists_the_known_ones():
    with pytest.raises(KeyError, match=r"normalize\.v1"):
        registry.get("nothing.v1")


def test_names_need_a_version():
    with pytest.raises(ValueError, match="version"):
        registry.register("unversioned")


def test_pipeline_is_safe_to_share_between_threads(pipeline):
    from concurrent.futures import ThreadPoolExecutor

    texts = [f"宁波第{i}次推进创新。\n\n宁波第{i}次推进创新。\n\n形成以宁\n\n波大学为龙头。" for i in range(40)]
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(pipeline.extract, texts))
    for i, art in enumerate(results):
        assert art.clean_text == f"宁波第{i}次推进创新。\n\n形成以宁波大学为龙头。"


def test_requires_and_assigns_must_name_fields_of_work():
    with pytest.raises(ValueError, match="no fields of Work"):
        registry.register("typo.v1", requires=("paragrahs",))
    with pytest.raises(ValueError, match="no fields of Work"):
        registry.register("typo.v1", requires=("raw",), assigns=("topic",))
    assert {"raw", "document", "commitments"} <= registry.WORK_FIELDS
