package ocpp

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// kind is the JSON type a schema node expects.
type kind uint8

// JSON types of schema nodes.
const (
	kindObject kind = iota + 1
	kindArray
	kindString
	kindInteger
	kindNumber
	kindBoolean
)

// String names the JSON type as JSON Schema does.
func (k kind) String() string {
	switch k {
	case kindObject:
		return "object"
	case kindArray:
		return "array"
	case kindString:
		return "string"
	case kindInteger:
		return "integer"
	case kindNumber:
		return "number"
	case kindBoolean:
		return "boolean"
	}
	return "unknown"
}

// format is a string format the schema asserts.
type format uint8

// String formats used by OCPP 1.6.
const (
	formatNone format = iota
	formatDateTime
	formatURI
)

// node is the compiled schema of one JSON value.
type node struct {
	kind     kind
	fields   []field  // object: properties in declaration order; no others allowed
	items    *node    // array: schema of every item
	minItems int      // array: least number of items
	maxLen   int      // string: most characters (code points); 0 = no limit
	enum     []string // string: allowed values; nil = any
	format   format   // string: format asserted
	tenths   bool     // number: must be a multiple of 0.1
}

// field is one property of an object node.
type field struct {
	name     string
	required bool
	node     *node
}

// actionSchema is the compiled schema of one action.
type actionSchema struct {
	name     string
	caller   Role
	req, res *node
	reqType  reflect.Type
	resType  reflect.Type
}

// registry holds every compiled schema. It is built once, at package
// initialisation, from the message types and is never modified after.
type registry struct {
	actions map[string]*actionSchema
	byType  map[reflect.Type]*node
}

// schemas is the package's read-only schema registry.
var schemas = newRegistry()

// newRegistry compiles the schema of every action's request and
// confirmation type. It panics on a type the compiler does not support,
// which is a programming error caught by any test.
func newRegistry() *registry {
	enums := enumValues()
	r := &registry{actions: map[string]*actionSchema{}, byType: map[reflect.Type]*node{}}
	for _, d := range actionDefs() {
		a := &actionSchema{name: d.name, caller: d.caller, reqType: d.req, resType: d.res}
		a.req = compileType(d.req, enums, "")
		a.res = compileType(d.res, enums, "")
		r.byType[d.req] = a.req
		r.byType[d.res] = a.res
		r.actions[d.name] = a
	}
	return r
}

// compileType compiles the schema of a Go type; tag is the field's ocpp
// struct tag, whose string constraints apply to the items of a []string.
func compileType(t reflect.Type, enums map[reflect.Type][]string, tag string) *node {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == reflect.TypeFor[DateTime]() {
		return &node{kind: kindString, format: formatDateTime}
	}
	n := &node{}
	switch t.Kind() {
	case reflect.String:
		n.kind = kindString
		n.enum = enums[t]
		if t != reflect.TypeFor[string]() && n.enum == nil {
			panic(fmt.Sprintf("ocpp: string type %s has no enum values", t))
		}
	case reflect.Int:
		n.kind = kindInteger
	case reflect.Float64:
		n.kind = kindNumber
	case reflect.Bool:
		n.kind = kindBoolean
	case reflect.Slice:
		n.kind = kindArray
		n.items = compileType(t.Elem(), enums, "")
	case reflect.Struct:
		n.kind = kindObject
		for i := range t.NumField() {
			n.fields = append(n.fields, compileField(t.Field(i), enums))
		}
		return n
	default:
		panic(fmt.Sprintf("ocpp: unsupported type %s in a message", t))
	}
	applyTag(n, tag)
	return n
}

// compileField compiles one struct field from its json and ocpp tags.
func compileField(sf reflect.StructField, enums map[reflect.Type][]string) field {
	jsonTag := sf.Tag.Get("json")
	name, opts, _ := strings.Cut(jsonTag, ",")
	if name == "" || name == "-" {
		panic(fmt.Sprintf("ocpp: field %s has no json name", sf.Name))
	}
	return field{
		name:     name,
		required: !strings.Contains(opts, "omitempty"),
		node:     compileType(sf.Type, enums, sf.Tag.Get("ocpp")),
	}
}

// applyTag applies the ocpp struct tag (comma-separated max=N, uri,
// minItems=N, tenths) to n; string constraints on an array go to its items.
func applyTag(n *node, tag string) {
	if tag == "" {
		return
	}
	for opt := range strings.SplitSeq(tag, ",") {
		key, val, _ := strings.Cut(opt, "=")
		target := n
		if n.kind == kindArray && key != "minItems" {
			target = n.items
		}
		switch key {
		case "max":
			target.maxLen = mustAtoi(val, tag)
		case "minItems":
			target.minItems = mustAtoi(val, tag)
		case "uri":
			target.format = formatURI
		case "tenths":
			target.tenths = true
		default:
			panic(fmt.Sprintf("ocpp: unknown option %q in tag %q", key, tag))
		}
	}
}

// mustAtoi parses a tag number, panicking on a malformed tag.
func mustAtoi(s, tag string) int {
	v, err := strconv.Atoi(s)
	if err != nil {
		panic(fmt.Sprintf("ocpp: bad number in tag %q", tag))
	}
	return v
}
