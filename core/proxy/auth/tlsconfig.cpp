#include "tlsconfig.h"

#include <QCoreApplication>
#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

namespace Proxy {

using Pulsar::ErrorCode;
using Pulsar::makeError;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Proxy::ServerTls", text);
}

Pulsar::Result<QByteArray> readPemFile(const QString &path, const QString &what)
{
    if (path.isEmpty())
        return makeError(ErrorCode::InvalidField, tr("No %1 file was given").arg(what));
    QFile file(path);
    if (!file.exists())
        return makeError(ErrorCode::InvalidField, tr("The %1 file \"%2\" does not exist").arg(what, path));
    if (!file.open(QIODevice::ReadOnly)) {
        return makeError(ErrorCode::InvalidField,
                         tr("Cannot read the %1 file \"%2\": %3").arg(what, path, file.errorString()));
    }
    return file.readAll();
}

// Never prompt on the terminal for a passphrase: an encrypted key simply fails to load.
int noPassphrase(char *, int, int, void *)
{
    return -1;
}

struct BioDeleter
{
    void operator()(BIO *bio) const { BIO_free(bio); }
};
struct X509Deleter
{
    void operator()(X509 *x509) const { X509_free(x509); }
};
struct PkeyDeleter
{
    void operator()(EVP_PKEY *key) const { EVP_PKEY_free(key); }
};

// Qt has no way to tell whether a private key belongs to a certificate, so OpenSSL (which Qt's TLS backend and
// libjwt use anyway) is asked directly.
bool keyMatchesCertificate(const QByteArray &certPem, const QByteArray &keyPem)
{
    const std::unique_ptr<BIO, BioDeleter> certBio(BIO_new_mem_buf(certPem.constData(), int(certPem.size())));
    const std::unique_ptr<BIO, BioDeleter> keyBio(BIO_new_mem_buf(keyPem.constData(), int(keyPem.size())));
    if (!certBio || !keyBio)
        return false;
    const std::unique_ptr<X509, X509Deleter> cert(PEM_read_bio_X509(certBio.get(), nullptr, noPassphrase, nullptr));
    const std::unique_ptr<EVP_PKEY, PkeyDeleter> key(
        PEM_read_bio_PrivateKey(keyBio.get(), nullptr, noPassphrase, nullptr));
    if (!cert || !key)
        return false;
    return X509_check_private_key(cert.get(), key.get()) == 1;
}

} // namespace

Pulsar::Result<ServerTls> loadServerTls(const QString &certFile, const QString &keyFile, const QString &caFile,
                                        const QDateTime &now)
{
    const QString certWhat = tr("certificate");
    const QString keyWhat = tr("private key");
    const auto certPem = readPemFile(certFile, certWhat);
    if (!certPem)
        return certPem.error();
    const QList<QSslCertificate> chain = QSslCertificate::fromData(*certPem, QSsl::Pem);
    if (chain.isEmpty() || chain.first().isNull()) {
        return makeError(ErrorCode::InvalidField,
                         tr("The certificate file \"%1\" holds no PEM certificate").arg(certFile));
    }

    const auto keyPem = readPemFile(keyFile, keyWhat);
    if (!keyPem)
        return keyPem.error();
    if (keyPem->contains("ENCRYPTED")) {
        return makeError(ErrorCode::InvalidField,
                         tr("The private key file \"%1\" is encrypted; give an unencrypted key").arg(keyFile));
    }
    QSslKey key;
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        key = QSslKey(*keyPem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            break;
    }
    if (key.isNull()) {
        return makeError(ErrorCode::InvalidField,
                         tr("The private key file \"%1\" holds no PEM RSA or EC private key").arg(keyFile));
    }
    if (!keyMatchesCertificate(*certPem, *keyPem)) {
        return makeError(
            ErrorCode::InvalidField,
            tr("The private key in \"%1\" does not belong to the certificate in \"%2\"").arg(keyFile, certFile));
    }

    ServerTls tls;
    const QSslCertificate &leaf = chain.first();
    if (leaf.expiryDate() < now) {
        tls.warnings.append(tr("The certificate in \"%1\" expired on %2; clients will refuse it")
                                .arg(certFile, leaf.expiryDate().toString(Qt::ISODate)));
    }
    if (leaf.effectiveDate() > now) {
        tls.warnings.append(tr("The certificate in \"%1\" is not valid before %2; clients will refuse it")
                                .arg(certFile, leaf.effectiveDate().toString(Qt::ISODate)));
    }

    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(chain);
    configuration.setPrivateKey(key);
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    if (caFile.isEmpty()) {
        configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    } else {
        const auto caPem = readPemFile(caFile, tr("CA certificate"));
        if (!caPem)
            return caPem.error();
        const QList<QSslCertificate> cas = QSslCertificate::fromData(*caPem, QSsl::Pem);
        if (cas.isEmpty()) {
            return makeError(ErrorCode::InvalidField,
                             tr("The CA certificate file \"%1\" holds no PEM certificate").arg(caFile));
        }
        configuration.setCaCertificates(cas);
        configuration.setPeerVerifyMode(QSslSocket::VerifyPeer);
    }
    tls.configuration = configuration;
    return tls;
}

} // namespace Proxy
