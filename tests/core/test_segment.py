from stepcache_core.segment import JsonObjectSegmenter, LineSegmenter, ParagraphSegmenter, find_json_object


def test_line_segmenter_drops_numbering_but_not_minus_signs():
    steps = LineSegmenter().segment("1. 3x = 15\nStep 2: x = 5\n\n-x = -5")
    assert [s.text for s in steps] == ["3x = 15", "x = 5", "-x = -5"]
    assert LineSegmenter().render(steps) == "3x = 15\nx = 5\n-x = -5"


def test_json_segmenter_one_step_per_key_and_round_trip():
    seg = JsonObjectSegmenter()
    steps = seg.segment('Sure! {"a": 1, "b": "x"} done')
    assert [(s.key, s.value) for s in steps] == [("a", 1), ("b", "x")]
    assert seg.render(steps) == '{"a": 1, "b": "x"}'


def test_json_segmenter_malformed_is_a_single_unkeyed_step():
    steps = JsonObjectSegmenter().segment('{"a": 1,')
    assert len(steps) == 1 and steps[0].key is None


def test_find_json_object_skips_non_objects():
    assert find_json_object('[1] {"k": [1, 2]}') == {"k": [1, 2]}
    assert find_json_object("{not json}") is None


def test_paragraph_segmenter_numbered_items():
    steps = ParagraphSegmenter().segment("Intro\n1. one\n2. two")
    assert [s.text for s in steps] == ["Intro", "1. one", "2. two"]
