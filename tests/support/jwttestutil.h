#pragma once

// Test-time key material and tokens for the auth tests: keys and certificates are generated on the fly with
// OpenSSL's C API (nothing is committed to the repository), tokens are signed with libjwt, and the hostile
// tokens (unsigned, tampered) are put together by hand. Link PkgConfig::LIBJWT and OpenSSL::Crypto.

#include <QByteArray>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include <jwt.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdlib>
#include <memory>
#include <optional>

namespace TestSupport {

struct KeyPair
{
    QByteArray privatePem; // PKCS#8 "PRIVATE KEY"
    QByteArray publicPem;  // SubjectPublicKeyInfo "PUBLIC KEY"
    QByteArray publicDer;  // the same in DER, as Pulsar's "tokens create-key-pair" writes it
};

namespace Detail {

struct PkeyDeleter
{
    void operator()(EVP_PKEY *key) const { EVP_PKEY_free(key); }
};
struct BioDeleter
{
    void operator()(BIO *bio) const { BIO_free(bio); }
};
struct X509Deleter
{
    void operator()(X509 *x509) const { X509_free(x509); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

inline QByteArray bioBytes(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return QByteArray(data, int(size));
}

inline KeyPair exportKeyPair(EVP_PKEY *key)
{
    KeyPair pair;
    const std::unique_ptr<BIO, BioDeleter> priv(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey(priv.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    pair.privatePem = bioBytes(priv.get());
    const std::unique_ptr<BIO, BioDeleter> pub(BIO_new(BIO_s_mem()));
    PEM_write_bio_PUBKEY(pub.get(), key);
    pair.publicPem = bioBytes(pub.get());
    unsigned char *der = nullptr;
    const int derSize = i2d_PUBKEY(key, &der);
    if (derSize > 0)
        pair.publicDer = QByteArray(reinterpret_cast<const char *>(der), derSize);
    OPENSSL_free(der);
    return pair;
}

inline Pkey readPrivateKey(const QByteArray &pem)
{
    const std::unique_ptr<BIO, BioDeleter> bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    return Pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

inline QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

} // namespace Detail

inline KeyPair generateRsaKeyPair(unsigned int bits = 2048)
{
    const Detail::Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(bits)));
    return key ? Detail::exportKeyPair(key.get()) : KeyPair{};
}

inline KeyPair generateEcKeyPair()
{
    const Detail::Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    return key ? Detail::exportKeyPair(key.get()) : KeyPair{};
}

// A self-signed certificate (PEM) for the key pair, valid from now + notBeforeSecs to now + notAfterSecs.
inline QByteArray makeSelfSignedCertificate(const KeyPair &pair, long notBeforeSecs = -60,
                                            long notAfterSecs = 24 * 3600, const char *commonName = "localhost")
{
    const Detail::Pkey key = Detail::readPrivateKey(pair.privatePem);
    const std::unique_ptr<X509, Detail::X509Deleter> cert(X509_new());
    if (!key || !cert)
        return QByteArray();
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), notBeforeSecs);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), notAfterSecs);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME *name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char *>(commonName), -1, -1,
                               0);
    X509_set_issuer_name(cert.get(), name);
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0)
        return QByteArray();
    const std::unique_ptr<BIO, Detail::BioDeleter> out(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(out.get(), cert.get());
    return Detail::bioBytes(out.get());
}

// Signs claims with libjwt. key: the HMAC secret for HS*, the private key PEM for RS* and ES*.
inline QByteArray mintToken(jwt_alg_t alg, const QByteArray &key, const QJsonObject &claims)
{
    jwt_t *raw = nullptr;
    if (jwt_new(&raw) != 0)
        return QByteArray();
    const std::unique_ptr<jwt_t, void (*)(jwt_t *)> jwt(raw, jwt_free);
    if (!claims.isEmpty() &&
        jwt_add_grants_json(jwt.get(), QJsonDocument(claims).toJson(QJsonDocument::Compact).constData()) != 0)
        return QByteArray();
    if (jwt_set_alg(jwt.get(), alg, reinterpret_cast<const unsigned char *>(key.constData()), int(key.size())) != 0)
        return QByteArray();
    char *encoded = jwt_encode_str(jwt.get());
    if (!encoded)
        return QByteArray();
    const QByteArray token(encoded);
    std::free(encoded);
    return token;
}

// {"sub": sub} plus "exp" (seconds from now) and "aud" when given.
inline QJsonObject claims(const QString &sub, std::optional<qint64> expiresInSecs = std::nullopt,
                          const QJsonValue &audience = QJsonValue())
{
    QJsonObject object;
    if (!sub.isNull())
        object.insert(QStringLiteral("sub"), sub);
    if (expiresInSecs)
        object.insert(QStringLiteral("exp"), QDateTime::currentSecsSinceEpoch() + *expiresInSecs);
    if (!audience.isUndefined() && !audience.isNull())
        object.insert(QStringLiteral("aud"), audience);
    return object;
}

// A token with an arbitrary header and signature, for the shapes no honest library produces ("alg":"none",
// a forged signature, a header naming an unknown algorithm).
inline QByteArray handmadeToken(const QJsonObject &header, const QJsonObject &payload,
                                const QByteArray &signature = QByteArray())
{
    return Detail::base64Url(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.' +
           Detail::base64Url(QJsonDocument(payload).toJson(QJsonDocument::Compact)) + '.' +
           Detail::base64Url(signature);
}

} // namespace TestSupport
