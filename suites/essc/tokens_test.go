package essc

import (
	"slices"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/internal/cai"
)

// tokenProblems evaluates every check of section 3 on tok independently (a channel stops at
// the first) and returns the names of those that fail, for a session citizen with subject.
func tokenProblems(t *testing.T, p *Platform, tok, wantTyp, citizenSubject string) []string {
	t.Helper()
	h, c, in, sig, err := cai.ParseToken(tok)
	if err != nil {
		return []string{"malformed"}
	}
	var bad []string
	if cai.VerifyDER(&p.keys.Verifier.PublicKey, cai.DefaultSignerID, in, sig) != nil {
		bad = append(bad, "signature")
	}
	if h.Alg != cai.AlgSM2SM3 {
		bad = append(bad, "alg")
	}
	if h.Typ != wantTyp {
		bad = append(bad, "typ")
	}
	now := testNow().Unix()
	if c.Aud != p.decl.ChannelNo {
		bad = append(bad, "aud")
	}
	if c.Exp <= now {
		bad = append(bad, "exp")
	}
	if c.Iat > now+60 {
		bad = append(bad, "iat")
	}
	limit := int64(300)
	if wantTyp == cai.TypFace {
		limit = 120
	}
	if c.Exp-c.Iat > limit {
		bad = append(bad, "lifetime")
	}
	if wantTyp == cai.TypRealName {
		pii, err := cai.OpenPII(p.dataKey, c.Jti, c.PII)
		switch {
		case err != nil:
			bad = append(bad, "pii")
		case !cai.ValidIDNo(pii.IDNo) || cai.Subject(pii.IDNo) != c.Sub:
			bad = append(bad, "idno")
		}
	}
	if c.Sub != citizenSubject && !slices.Contains(bad, "idno") {
		bad = append(bad, "subject")
	}
	return bad
}

func TestTokenOptions(t *testing.T) {
	p, _ := testPlatform(t)
	c := testCase(t, p)
	alice := c.personas["alice"]
	tests := []struct {
		name string
		typ  string
		opts []string
		want []string
	}{
		{"real-name valid", cai.TypRealName, nil, nil},
		{"face valid", cai.TypFace, nil, nil},
		{"expired", cai.TypRealName, []string{"expired"}, []string{"exp"}},
		{"face expired", cai.TypFace, []string{"expired"}, []string{"exp"}},
		{"future", cai.TypRealName, []string{"future"}, []string{"iat"}},
		{"audience", cai.TypRealName, []string{"aud=2000000002"}, []string{"aud"}},
		{"alg none", cai.TypRealName, []string{"alg=none"}, []string{"signature", "alg"}},
		{"alg HS256", cai.TypFace, []string{"alg=HS256"}, []string{"signature", "alg"}},
		{"wrong key", cai.TypRealName, []string{"wrong-key"}, []string{"signature"}},
		{"typ", cai.TypRealName, []string{"typ=CAI-FACE"}, []string{"typ"}},
		{"tamper pii", cai.TypRealName, []string{"tamper-pii"}, []string{"pii"}},
		{"tamper tag", cai.TypRealName, []string{"tamper-tag"}, []string{"pii"}},
		{"wrong data key", cai.TypRealName, []string{"wrong-data-key"}, []string{"pii"}},
		{"bad idno", cai.TypRealName, []string{"bad-idno"}, []string{"idno"}},
		{"lifetime real-name", cai.TypRealName, []string{"lifetime=301"}, []string{"lifetime"}},
		{"lifetime real-name ok", cai.TypRealName, []string{"lifetime=300"}, nil},
		{"lifetime face", cai.TypFace, []string{"lifetime=121"}, []string{"lifetime"}},
		{"other subject", cai.TypFace, []string{"sub=bob"}, []string{"subject"}},
		{"expired keeps lifetime", cai.TypFace, []string{"expired", "lifetime=120"}, []string{"exp"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := c.token(tt.typ, "alice", tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			got := tokenProblems(t, p, tok, tt.typ, alice.Subject)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("token %v fails %v, want exactly %v", tt.opts, got, tt.want)
			}
			if !slices.Contains(c.Secrets(), tok) {
				t.Fatal("minted token is not among the case's secrets")
			}
		})
	}
}

func TestTokenChannelView(t *testing.T) {
	p, _ := testPlatform(t)
	c := testCase(t, p)
	tok, err := c.token(cai.TypRealName, "alice", nil)
	if err != nil {
		t.Fatal(err)
	}
	h, claims, err := cai.VerifyToken(&p.keys.Verifier.PublicKey, tok)
	if err != nil || cai.CheckTyp(h, cai.TypRealName) != nil || cai.CheckClaims(claims, cai.TypRealName, p.decl.ChannelNo, testNow()) != nil {
		t.Fatalf("valid token refused by internal/cai: %v", err)
	}
	pii, err := cai.OpenPII(p.dataKey, claims.Jti, claims.PII)
	alice := c.personas["alice"]
	if err != nil || pii.IDNo != alice.IDNo || pii.Name != alice.Name || pii.Phone != alice.Phone {
		t.Fatalf("pii %+v, %v", pii, err)
	}
	if claims.Exp-claims.Iat != 240 || claims.Iat != testNow().Unix() || claims.Iss != cai.VerifierIssuer {
		t.Fatalf("claims %+v", claims)
	}
	face, _ := c.token(cai.TypFace, "alice", nil)
	_, fc, _ := cai.VerifyToken(&p.keys.Verifier.PublicKey, face)
	if fc.Exp-fc.Iat != 90 || fc.PII != "" || fc.Sub != alice.Subject || fc.Jti == claims.Jti {
		t.Fatalf("face claims %+v", fc)
	}
}

func TestTokenMemoAndErrors(t *testing.T) {
	p, _ := testPlatform(t)
	c := testCase(t, p)
	funcs := c.Funcs()
	rn := funcs["realNameToken"].(func(string, ...string) (string, error))
	a, _ := rn("alice", "id=t1")
	b, _ := rn("alice", "id=t1", "expired")
	d, _ := rn("alice", "id=t2")
	e, _ := rn("alice")
	f, _ := rn("alice")
	if a == "" || a != b || a == d || e == f {
		t.Fatalf("memo: id=t1 twice equal %v, t1/t2 differ %v, unnamed differ %v", a == b, a != d, e != f)
	}
	tests := []struct {
		name    string
		typ     string
		persona string
		opts    []string
		want    string
	}{
		{"unknown persona", cai.TypRealName, "carol", nil, `unknown persona "carol"`},
		{"unknown option", cai.TypRealName, "alice", []string{"sideways"}, "unknown token option"},
		{"bad lifetime", cai.TypRealName, "alice", []string{"lifetime=soon"}, "lifetime must be"},
		{"face pii", cai.TypFace, "alice", []string{"tamper-pii"}, "face tokens carry no pii"},
		{"sub unknown", cai.TypFace, "alice", []string{"sub=zed"}, `unknown persona "zed"`},
		{"both times", cai.TypFace, "alice", []string{"expired", "future"}, "exclude"},
	}
	for _, tt := range tests {
		_, err := c.token(tt.typ, tt.persona, tt.opts)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
	if stand := p.TemplateFuncs()["faceToken"].(func(string, ...string) (string, error)); stand != nil {
		if _, err := stand("alice"); err == nil {
			t.Error("lint stand-in minted a token")
		}
	}
}
