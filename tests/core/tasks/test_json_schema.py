"""``stepcache_core.tasks.json.schema``: inlining a schema's own ``$ref``s, a root that points at its definition;
the options a key's description lists."""

import pytest

from stepcache_core import Request
from stepcache_core.errors import InvalidSchemaError
from stepcache_core.tasks.json.parse import described_values, parse_json_problem
from stepcache_core.tasks.json.schema import inline_refs, root_object, validator_for


def test_nested_definitions_are_inlined_to_any_depth_and_dropped():
    schema = {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "home": {"$ref": "#/$defs/Address", "description": "where they live"},
            "past": {"type": "array", "items": {"$ref": "#/$defs/Address"}},
            "definitions": {"type": "string"},  # a property, not the schema's definitions: kept
        },
        "$defs": {
            "Address": {"type": "object", "properties": {"city": {"$ref": "#/$defs/City"}}, "description": "an address"},
            "City": {"type": "string", "minLength": 1},
        },
    }
    address = {"type": "object", "properties": {"city": {"type": "string", "minLength": 1}}}
    assert inline_refs(schema) == {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "home": {**address, "description": "where they live"},  # the key beside the $ref wins
            "past": {"type": "array", "items": {**address, "description": "an address"}},
            "definitions": {"type": "string"},
        },
    }
    assert "$defs" in schema  # the caller's schema is left as it was
    validator_for(inline_refs(schema))  # the result stands on its own


def test_draft_07_definitions_resolve_too():
    schema = {"properties": {"a": {"$ref": "#/definitions/A"}}, "definitions": {"A": {"type": "integer"}}}
    assert inline_refs(schema) == {"properties": {"a": {"type": "integer"}}}


def test_a_recursive_definition_is_refused_not_expanded_forever():
    """A tree cannot be inlined: the walk stops at the first definition that meets itself again."""
    schema = {
        "properties": {"root": {"$ref": "#/$defs/Node"}},
        "$defs": {"Node": {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}}}},
    }
    with pytest.raises(InvalidSchemaError, match="'Node' uses itself"):
        inline_refs(schema)
    with pytest.raises(InvalidSchemaError, match="uses itself"):  # through another definition
        inline_refs(
            {"$ref": "#/$defs/A", "$defs": {"A": {"items": {"$ref": "#/$defs/B"}}, "B": {"items": {"$ref": "#/$defs/A"}}}}
        )


@pytest.mark.parametrize(
    "ref",
    ["#/$defs/Missing", "#", "https://example.com/address.json", "#/properties/name"],
)
def test_a_ref_that_names_no_definition_is_an_error(ref):
    schema = {"properties": {"name": {"type": "string"}, "home": {"$ref": ref}}, "$defs": {"Address": {"type": "object"}}}
    with pytest.raises(InvalidSchemaError, match="names no definition"):
        inline_refs(schema)


def test_an_exponential_expansion_is_refused():
    """Each definition uses the next one twice: 2**40 nodes inlined, refused after a bounded walk."""
    defs = {f"D{i}": {"type": "array", "prefixItems": [{"$ref": f"#/$defs/D{i + 1}"}] * 2} for i in range(40)}
    defs["D40"] = {"type": "string"}
    with pytest.raises(InvalidSchemaError, match="expands to more than"):
        inline_refs({"$ref": "#/$defs/D0", "$defs": defs})


def test_a_schema_without_refs_is_returned_equal():
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}
    assert inline_refs(schema) == schema


def test_a_root_that_points_at_its_definition_takes_the_definitions_keys():
    """Class: a recursive pydantic model's schema (``{"$ref": "#/$defs/Node", "$defs": ...}``) or a root ``allOf``
    of one reference: its keys are the definition's (was: "needs a schema with properties", before any call)."""
    node = {"type": "object", "properties": {"name": {"type": "string"}, "children": {"items": {"$ref": "#/$defs/Node"}}}}
    schema = {"$ref": "#/$defs/Node", "$defs": {"Node": node}, "title": "Tree"}
    assert root_object(schema) == {**node, "$defs": {"Node": node}, "title": "Tree"}
    assert root_object({"allOf": [{"$ref": "#/definitions/N"}], "definitions": {"N": node}})["properties"] == node["properties"]
    plain = {"type": "object", "properties": {"n": {"type": "integer"}}}
    assert root_object(plain) is plain
    problem = parse_json_problem(Request("Extract: a tree named Oak.", schema=schema))
    assert problem.properties == ("name", "children")


@pytest.mark.parametrize(
    "schema",
    [{"$ref": "#/$defs/Gone", "$defs": {}}, {"$ref": "#/$defs/A", "$defs": {"A": {"$ref": "#/$defs/A"}}}],
    ids=["names no definition", "points back to itself"],
)
def test_a_root_reference_that_leads_nowhere_is_a_schema_error(schema):
    with pytest.raises(InvalidSchemaError):
        parse_json_problem(Request("Extract: Oak.", schema=schema))


@pytest.mark.parametrize(
    ("description", "options"),
    [
        ("'child' or 'adult'", ["child", "adult"]),
        ('one of "low", "medium", "high"', ["low", "medium", "high"]),
        ("`open`, `closed` or `pending`", ["open", "closed", "pending"]),
        ("\u201cyes\u201d or \u201cno\u201d", ["yes", "no"]),
        ("e.g. 'EUR' or 'USD'", []),  # examples, not a list of what is allowed
        ("the 'name' as written, 'N/A' if unknown", []),  # quotes apart
        ("the child's age", []),
        ("age group: child or adult", ["child", "adult"]),  # without quotes, after a colon
        ("'adult' for grown-ups, otherwise 'child'", ["adult", "child"]),
        ("Options:\n- low\n- high", ["low", "high"]),
        ("the city where the person lives", []),
        ("Is the parcel small, medium or large?", ["small", "medium", "large"]),  # asked as a question
        ("'a', 'b'. Or 'c', 'd'", []),  # two lists: which one?
    ],
)
def test_options_a_description_lists_are_read_as_the_schema_lists_them(description, options):
    assert described_values(description) == options
