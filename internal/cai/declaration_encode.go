package cai

import (
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// MarshalYAML writes the declaration in the field order of the standard, with certificates as
// literal blocks so the written file reads like the example in STANDARD.md.
func (d Declaration) MarshalYAML() (any, error) {
	m := &yaml.Node{Kind: yaml.MappingNode}
	add := func(parent *yaml.Node, key string, val *yaml.Node) {
		parent.Content = append(parent.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, val)
	}
	add(m, "caiVersion", str(d.CAIVersion))
	add(m, "channelNo", str(d.ChannelNo))
	add(m, "name", str(d.Name))
	add(m, "baseURL", str(d.BaseURL))
	add(m, "profiles", strSeq(d.Profiles))
	add(m, "regions", strSeq(d.Regions))
	add(m, "level2", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(d.Level2)})
	add(m, "certificate", literal(d.Certificate))
	add(m, "raRoot", literal(d.RARoot))
	sb := &yaml.Node{Kind: yaml.MappingNode}
	add(sb, "dataKey", str(d.Sandbox.DataKey))
	if d.Sandbox.DataKeyCheck != "" {
		add(sb, "dataKeyCheck", str(d.Sandbox.DataKeyCheck))
	}
	add(sb, "qrLifetimeSeconds", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(d.Sandbox.QRLifetimeSeconds)})
	if d.Sandbox.TLSCA != "" {
		add(sb, "tlsCA", literal(d.Sandbox.TLSCA))
	}
	add(m, "sandbox", sb)
	return m, nil
}

// Encode returns the declaration as YAML (including the secret data key: it writes the file a
// vendor or serve-reference hands over, never a report).
func (d *Declaration) Encode() ([]byte, error) {
	out, err := yaml.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("encode declaration: %w", err)
	}
	return out, nil
}

// str is a double-quoted string scalar, so digit strings stay strings.
func str(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s, Style: yaml.DoubleQuotedStyle}
}

// strSeq is a flow sequence of quoted strings.
func strSeq(items []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, it := range items {
		n.Content = append(n.Content, str(it))
	}
	return n
}

// literal is a literal block scalar (|) for PEM text.
func literal(s string) *yaml.Node {
	if !strings.HasSuffix(s, "\n") && s != "" {
		s += "\n"
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s, Style: yaml.LiteralStyle}
}
