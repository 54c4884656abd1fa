package esscv1_test

import (
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/validator/rules"

	esscv1 "github.com/chanconf/chanconf/specs/essc/v1"
)

func loadGraphQLSchema(t *testing.T) *ast.Schema {
	t.Helper()
	sdl, err := esscv1.FS.ReadFile("schema.graphql")
	if err != nil {
		t.Fatalf("read embedded schema.graphql: %v", err)
	}
	schema, err := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: string(sdl)})
	if err != nil {
		t.Fatalf("load schema.graphql: %v", err)
	}
	return schema
}

func TestGraphQLSchemaShape(t *testing.T) {
	schema := loadGraphQLSchema(t)
	tests := []struct {
		typ, field, want string
	}{
		{"Query", "card", "Card"},
		{"Query", "me", "Citizen!"},
		{"Query", "authorizations", "[Authorization!]!"},
		{"Mutation", "createSession", "Session!"},
		{"Mutation", "logout", "Boolean!"},
		{"Mutation", "applyCard", "ApplyCardResult!"},
		{"Mutation", "reportLoss", "Card!"},
		{"Mutation", "undoLoss", "Card!"},
		{"Mutation", "unbindCard", "Boolean!"},
		{"Mutation", "issueQRCode", "QRCode!"},
		{"Mutation", "grantAuthorization", "Authorization!"},
		{"Mutation", "revokeAuthorization", "Boolean!"},
		{"Mutation", "invokeBusiness", "BusinessResult!"},
		{"Card", "holder", "Citizen!"},
		{"Citizen", "cards", "[Card!]!"},
		{"ApplyCardResult", "card", "Card!"},
		{"ApplyCardResult", "created", "Boolean!"},
	}
	for _, tt := range tests {
		t.Run(tt.typ+"."+tt.field, func(t *testing.T) {
			def := schema.Types[tt.typ]
			if def == nil {
				t.Fatalf("type %s missing", tt.typ)
			}
			f := def.Fields.ForName(tt.field)
			if f == nil {
				t.Fatalf("field %s.%s missing", tt.typ, tt.field)
			}
			if got := f.Type.String(); got != tt.want {
				t.Fatalf("%s.%s: %s, want %s", tt.typ, tt.field, got, tt.want)
			}
		})
	}
	for _, e := range []struct {
		name   string
		values []string
	}{
		{"CardStatus", []string{"ISSUED", "LOST", "SUSPENDED", "CANCELLED"}},
		{"BusinessCode", []string{"SI_RECORD_QUERY", "IDENTITY_PROOF", "MEDICAL_PAYMENT"}},
	} {
		def := schema.Types[e.name]
		if def == nil || def.Kind != ast.Enum {
			t.Fatalf("enum %s missing", e.name)
		}
		var got []string
		for _, v := range def.EnumValues {
			got = append(got, v.Name)
		}
		if strings.Join(got, ",") != strings.Join(e.values, ",") {
			t.Errorf("enum %s: %v, want %v", e.name, got, e.values)
		}
	}
}

// personalDataFields lists object fields that look like unmasked identity data (CAI-9.1).
func personalDataFields(schema *ast.Schema) []string {
	var found []string
	for _, def := range schema.Types {
		if def.BuiltIn || def.Kind != ast.Object {
			continue
		}
		for _, f := range def.Fields {
			low := strings.ToLower(f.Name)
			if strings.HasPrefix(low, "__") || strings.HasSuffix(low, "masked") {
				continue
			}
			for _, word := range []string{"idno", "name", "phone", "bankaccount"} {
				if strings.Contains(low, word) {
					found = append(found, def.Name+"."+f.Name)
				}
			}
		}
	}
	return found
}

// TestGraphQLSchemaExposesNoPersonalData guards CAI-9.1 on the schema, and shows on a bad schema
// that the guard reports such a field.
func TestGraphQLSchemaExposesNoPersonalData(t *testing.T) {
	if got := personalDataFields(loadGraphQLSchema(t)); len(got) != 0 {
		t.Errorf("fields that look like unmasked personal data: %v", got)
	}
	bad, err := gqlparser.LoadSchema(&ast.Source{Name: "bad.graphql",
		Input: "type Query { me: Citizen! }\ntype Citizen { nameMasked: String! phone: String! }"})
	if err != nil {
		t.Fatalf("bad schema: %v", err)
	}
	if got := personalDataFields(bad); len(got) != 1 || got[0] != "Citizen.phone" {
		t.Errorf("guard on a bad schema: %v, want [Citizen.phone]", got)
	}
}

func TestGraphQLDocuments(t *testing.T) {
	schema := loadGraphQLSchema(t)
	tests := []struct {
		name    string
		doc     string
		wantErr string // "" means the document must validate
	}{
		{"card", `query($id: ID!) { card(cardId: $id) { cardId status level region idNoMasked nameMasked phoneMasked bankAccountMasked issuedAt } }`, ""},
		{"me and authorizations", `{ me { idNoMasked nameMasked cards { cardId status } } authorizations { businessCode status grantedAt expiresAt } }`, ""},
		{"create session", `mutation($in: CreateSessionInput!) { createSession(input: $in) { sessionToken expiresAt citizen { idNoMasked nameMasked } } }`, ""},
		{"apply card", `mutation { applyCard(input: {faceToken: "a.b.c", region: "110000", level: 2, bankAccount: "6222021234567890123"}) { created card { cardId } } }`, ""},
		{"payment", `mutation { invokeBusiness(businessCode: MEDICAL_PAYMENT, cardId: "c_7Hq2LmX9pQ4sT1vW", amountFen: 100) { busiSeq businessCode result } }`, ""},
		{"life cycle", `mutation($c: ID!, $f: String!) { reportLoss(cardId: $c) { status } undoLoss(cardId: $c, faceToken: $f) { status } issueQRCode(cardId: $c) { qrCode expiresAt } unbindCard(cardId: $c, faceToken: $f) logout }`, ""},
		{"grants", `mutation { grantAuthorization(businessCode: SI_RECORD_QUERY, expiresAt: "2026-03-02T08:00:00Z") { status } revokeAuthorization(businessCode: IDENTITY_PROOF) }`, ""},
		{"deep cycle is valid (depth is the channel's limit)", `{ me { cards { holder { cards { holder { cards { holder { nameMasked } } } } } } } }`, ""},
		{"field typo", `{ me { nameMaskd } }`, "nameMaskd"},
		{"unmasked field", `{ me { idNo } }`, "idNo"},
		{"unknown business code", `mutation { revokeAuthorization(businessCode: SI_UNKNOWN) }`, "SI_UNKNOWN"},
		{"missing argument", `{ card { cardId } }`, "cardId"},
		{"object without selection", `{ me }`, "me"},
		{"no query over GraphQL for QR verification", `mutation { verifyQRCode(qrCode: "x") { result } }`, "verifyQRCode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := gqlparser.LoadQueryWithRules(schema, tt.doc, rules.NewDefaultRules())
			switch {
			case tt.wantErr == "" && len(errs) > 0:
				t.Fatalf("valid document refused: %v", errs)
			case tt.wantErr != "" && len(errs) == 0:
				t.Fatalf("invalid document accepted (want an error mentioning %q)", tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(errs.Error(), tt.wantErr):
				t.Fatalf("errors %q do not mention %q", errs.Error(), tt.wantErr)
			}
		})
	}
}
