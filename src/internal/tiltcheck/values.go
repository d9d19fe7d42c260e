package tiltcheck

import (
	"fmt"

	"go.starlark.net/starlark"
)

// linkValue is what link() returns; links= accepts it or a plain URL string.
type linkValue struct{ Link }

func (l linkValue) String() string      { return fmt.Sprintf("link(%q, %q)", l.URL, l.Name) }
func (linkValue) Type() string          { return "link" }
func (linkValue) Freeze()               {}
func (linkValue) Truth() starlark.Bool  { return true }
func (linkValue) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable: link") }

func (r *recorder) link(fn string, a starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	var l Link
	if err := starlark.UnpackArgs(fn, a, kw, "url", &l.URL, "name?", &l.Name); err != nil {
		return nil, err
	}
	return linkValue{l}, nil
}

// stringOrList accepts nil (argument not given), a string, or a list/tuple of strings.
func stringOrList(v starlark.Value) ([]string, error) {
	switch v := v.(type) {
	case nil, starlark.NoneType:
		return nil, nil
	case starlark.String:
		return []string{string(v)}, nil
	case starlark.Indexable:
		out := make([]string, v.Len())
		for i := range out {
			s, ok := starlark.AsString(v.Index(i))
			if !ok {
				return nil, fmt.Errorf("item %d: want a string, got %s", i, v.Index(i).Type())
			}
			out[i] = s
		}
		return out, nil
	}
	return nil, fmt.Errorf("want a string or a list of strings, got %s", v.Type())
}

func linkList(v starlark.Value) ([]Link, error) {
	if v == nil || v == starlark.None {
		return nil, nil
	}
	if s, ok := v.(starlark.String); ok {
		return []Link{{URL: string(s)}}, nil
	}
	seq, ok := v.(starlark.Indexable)
	if !ok {
		return nil, fmt.Errorf("want a link, a URL or a list of them, got %s", v.Type())
	}
	out := make([]Link, 0, seq.Len())
	for i := 0; i < seq.Len(); i++ {
		switch item := seq.Index(i).(type) {
		case linkValue:
			out = append(out, item.Link)
		case starlark.String:
			out = append(out, Link{URL: string(item)})
		default:
			return nil, fmt.Errorf("item %d: want a link or a URL, got %s", i, item.Type())
		}
	}
	return out, nil
}
