package cai

import (
	"crypto/ecdsa"
	"encoding/pem"
	"errors"
	"fmt"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
)

// PEM block types written and read by this package.
const (
	PEMPrivateKey  = "PRIVATE KEY"
	PEMPublicKey   = "PUBLIC KEY"
	PEMCertificate = "CERTIFICATE"
)

// ErrNoPEM: the data holds no PEM block of the wanted type.
var ErrNoPEM = errors.New("no PEM block")

// firstPEM returns the first PEM block of type typ in data; text before and between blocks
// (such as the "test only" comment of the fixture keys) is ignored.
func firstPEM(data []byte, typ string) (*pem.Block, error) {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return nil, fmt.Errorf("%w of type %q", ErrNoPEM, typ)
		}
		if b.Type == typ {
			return b, nil
		}
	}
}

// ParseSM2PrivateKeyPEM parses the first "PRIVATE KEY" (PKCS#8) block of data as an SM2 key.
func ParseSM2PrivateKeyPEM(data []byte) (*sm2.PrivateKey, error) {
	b, err := firstPEM(data, PEMPrivateKey)
	if err != nil {
		return nil, fmt.Errorf("sm2 private key: %w", err)
	}
	key, err := smx509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("sm2 private key: %w", err)
	}
	priv, ok := key.(*sm2.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("sm2 private key: PKCS#8 holds a %T, not an SM2 key", key)
	}
	return priv, nil
}

// ParseCertificatePEM parses the first "CERTIFICATE" block of data (SM2 or other keys).
func ParseCertificatePEM(data []byte) (*smx509.Certificate, error) {
	b, err := firstPEM(data, PEMCertificate)
	if err != nil {
		return nil, fmt.Errorf("certificate: %w", err)
	}
	cert, err := smx509.ParseCertificate(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("certificate: %w", err)
	}
	return cert, nil
}

// MarshalCertificatePEM encodes a DER certificate as a "CERTIFICATE" PEM block.
func MarshalCertificatePEM(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: PEMCertificate, Bytes: der})
}

// SM2PublicKey returns the SM2 public key of cert, or an error naming what the key is instead.
func SM2PublicKey(cert *smx509.Certificate) (*ecdsa.PublicKey, error) {
	pub, ok := cert.PublicKey.(*ecdsa.PublicKey)
	if !ok || !sm2.IsSM2PublicKey(pub) {
		return nil, fmt.Errorf("certificate %q: public key is a %T, not an SM2 key", cert.Subject.CommonName, cert.PublicKey)
	}
	return pub, nil
}

// ParsePublicKeyPEM parses the first "PUBLIC KEY" block of data as an SM2 public key.
func ParsePublicKeyPEM(data []byte) (*ecdsa.PublicKey, error) {
	b, err := firstPEM(data, PEMPublicKey)
	if err != nil {
		return nil, fmt.Errorf("public key: %w", err)
	}
	key, err := smx509.ParsePKIXPublicKey(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("public key: %w", err)
	}
	pub, ok := key.(*ecdsa.PublicKey)
	if !ok || !sm2.IsSM2PublicKey(pub) {
		return nil, fmt.Errorf("public key: %T is not an SM2 key", key)
	}
	return pub, nil
}
