package bundle

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"

	"github.com/chanconf/chanconf/internal/cai"
)

// Signature algorithms of manifest.sig. SM2 (GB/T 32918) with SM3 is the default, as everywhere
// in CAI; Ed25519 is offered for authorities whose tooling lacks SM2.
const (
	AlgSM2SM3  = "SM2-SM3"
	AlgEd25519 = "Ed25519"
)

// SignerID is the SM2 signer ID of bundle signatures: the SM2 default, since a bundle is
// signed by a test laboratory or vendor, not by a CAI party with an assigned ID.
const SignerID = cai.DefaultSignerID

// SigningKey is a private key that signs bundles; its algorithm is detected from the PEM.
type SigningKey struct {
	sm2 *sm2.PrivateKey
	ed  ed25519.PrivateKey
}

// PublicKey is a key that verifies bundle signatures.
type PublicKey struct {
	sm2 *ecdsa.PublicKey
	ed  ed25519.PublicKey
	der []byte // PKIX SubjectPublicKeyInfo
}

// ParseSigningKeyPEM parses the first "PRIVATE KEY" (PKCS#8) block of data as an SM2 or
// Ed25519 key. Errors never include the key material.
func ParseSigningKeyPEM(data []byte) (*SigningKey, error) {
	b, err := pemBlock(data, cai.PEMPrivateKey)
	if err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	key, err := smx509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("signing key: not a PKCS#8 private key: %w", err)
	}
	switch k := key.(type) {
	case *sm2.PrivateKey:
		return &SigningKey{sm2: k}, nil
	case ed25519.PrivateKey:
		return &SigningKey{ed: k}, nil
	}
	return nil, fmt.Errorf("signing key: a %T; bundles are signed with SM2 or Ed25519 keys (see chanconf keygen)", key)
}

// LoadSigningKey reads and parses a signing key file; errors name the path.
func LoadSigningKey(path string) (*SigningKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	k, err := ParseSigningKeyPEM(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// Algorithm names the key's signature algorithm (AlgSM2SM3 or AlgEd25519).
func (k *SigningKey) Algorithm() string {
	if k.ed != nil {
		return AlgEd25519
	}
	return AlgSM2SM3
}

// Public returns the key's public half.
func (k *SigningKey) Public() (*PublicKey, error) {
	if k.ed != nil {
		return newPublicKey(k.ed.Public())
	}
	return newPublicKey(&k.sm2.PublicKey)
}

// sign signs msg deterministically (RFC 6979 with HMAC-SM3 for SM2; Ed25519 is deterministic),
// so that the same inputs give a byte-identical bundle. It returns standard base64.
func (k *SigningKey) sign(msg []byte) (string, error) {
	if k.ed != nil {
		return base64.StdEncoding.EncodeToString(ed25519.Sign(k.ed, msg)), nil
	}
	return cai.SignDeterministic(k.sm2, SignerID, msg)
}

// newPublicKey wraps an SM2 or Ed25519 public key.
func newPublicKey(key any) (*PublicKey, error) {
	der, err := smx509.MarshalPKIXPublicKey(key)
	if err != nil {
		return nil, fmt.Errorf("public key: %w", err)
	}
	switch k := key.(type) {
	case *ecdsa.PublicKey:
		if !sm2.IsSM2PublicKey(k) {
			return nil, errors.New("public key: an ECDSA key that is not on the SM2 curve")
		}
		return &PublicKey{sm2: k, der: der}, nil
	case ed25519.PublicKey:
		return &PublicKey{ed: k, der: der}, nil
	}
	return nil, fmt.Errorf("public key: a %T, not an SM2 or Ed25519 key", key)
}

// ParsePublicKeyPEM parses the first "PUBLIC KEY" block of data as an SM2 or Ed25519 key.
func ParsePublicKeyPEM(data []byte) (*PublicKey, error) {
	b, err := pemBlock(data, cai.PEMPublicKey)
	if err != nil {
		return nil, fmt.Errorf("public key: %w", err)
	}
	key, err := smx509.ParsePKIXPublicKey(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("public key: %w", err)
	}
	return newPublicKey(key)
}

// LoadPublicKey reads and parses a public key file; errors name the path.
func LoadPublicKey(path string) (*PublicKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("public key: %w", err)
	}
	k, err := ParsePublicKeyPEM(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// Algorithm names the key's signature algorithm.
func (p *PublicKey) Algorithm() string {
	if p.ed != nil {
		return AlgEd25519
	}
	return AlgSM2SM3
}

// Fingerprint is "SHA256:" and the lowercase hex SHA-256 of the key's SubjectPublicKeyInfo
// DER: what a ministry compares with the fingerprint a vendor registered.
func (p *PublicKey) Fingerprint() string {
	sum := sha256.Sum256(p.der)
	return "SHA256:" + hex.EncodeToString(sum[:])
}

// PEM returns the key as a "PUBLIC KEY" PEM block.
func (p *PublicKey) PEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: cai.PEMPublicKey, Bytes: p.der})
}

// verify checks a base64 signature of msg.
func (p *PublicKey) verify(msg []byte, sigB64 string) error {
	if p.ed != nil {
		sig, err := base64.StdEncoding.Strict().DecodeString(sigB64)
		if err != nil {
			return fmt.Errorf("signature is not base64: %w", err)
		}
		if !ed25519.Verify(p.ed, msg, sig) {
			return errors.New("Ed25519 signature does not verify")
		}
		return nil
	}
	return cai.Verify(p.sm2, SignerID, msg, sigB64)
}

// GenerateKey makes a new signing key pair of algorithm alg (AlgSM2SM3 or AlgEd25519) and
// returns the private key as PKCS#8 PEM and the public key as PKIX PEM.
func GenerateKey(alg string) (privPEM, pubPEM []byte, err error) {
	var priv, pub any
	switch alg {
	case AlgSM2SM3:
		k, err := sm2.GenerateKey(rand.Reader)
		if err != nil {
			return nil, nil, fmt.Errorf("generate SM2 key: %w", err)
		}
		priv, pub = k, &k.PublicKey
	case AlgEd25519:
		pk, k, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, nil, fmt.Errorf("generate Ed25519 key: %w", err)
		}
		priv, pub = k, pk
	default:
		return nil, nil, fmt.Errorf("unknown signature algorithm %q (known: %s, %s)", alg, AlgSM2SM3, AlgEd25519)
	}
	der, err := smx509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, nil, fmt.Errorf("encode private key: %w", err)
	}
	pk, err := newPublicKey(pub)
	if err != nil {
		return nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: cai.PEMPrivateKey, Bytes: der}), pk.PEM(), nil
}

// pemBlock returns the first PEM block of type typ in data.
func pemBlock(data []byte, typ string) (*pem.Block, error) {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return nil, fmt.Errorf("no PEM block of type %q", typ)
		}
		if b.Type == typ {
			return b, nil
		}
	}
}
