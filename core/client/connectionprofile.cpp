#include "connectionprofile.h"

#include <QCoreApplication>
#include <QFile>
#include <QSslCertificate>
#include <QSslKey>

namespace Pulsar {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Pulsar::ConnectionProfile", text);
}

std::optional<QByteArray> readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    return file.readAll();
}

ClientError invalid(const QString &detail)
{
    ClientError error;
    error.code = ClientErrorCode::InvalidConfiguration;
    error.detail = detail;
    return error;
}

} // namespace

bool ConnectionProfile::isSecure() const
{
    const QString scheme = serviceUrl.scheme().toLower();
    return scheme == QLatin1String("wss") || scheme == QLatin1String("https");
}

QUrl ConnectionProfile::effectiveAdminUrl() const
{
    if (!adminUrl.isEmpty())
        return adminUrl;
    QUrl url = serviceUrl;
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("ws"))
        url.setScheme(QStringLiteral("http"));
    else if (scheme == QLatin1String("wss"))
        url.setScheme(QStringLiteral("https"));
    url.setQuery(QString());
    url.setFragment(QString());
    return url;
}

std::optional<ClientError> ConnectionProfile::validate() const
{
    const QString scheme = serviceUrl.scheme().toLower();
    if (!serviceUrl.isValid() || serviceUrl.host().isEmpty() ||
        (scheme != QLatin1String("ws") && scheme != QLatin1String("wss") && scheme != QLatin1String("http") &&
         scheme != QLatin1String("https")))
        return invalid(
            tr("The service URL must be ws://host:port or wss://host:port, got \"%1\"").arg(displayUrl(serviceUrl)));
    if (!adminUrl.isEmpty()) {
        const QString adminScheme = adminUrl.scheme().toLower();
        if (!adminUrl.isValid() || adminUrl.host().isEmpty() ||
            (adminScheme != QLatin1String("http") && adminScheme != QLatin1String("https")))
            return invalid(tr("The admin URL must be http://host:port or https://host:port, got \"%1\"")
                               .arg(displayUrl(adminUrl)));
    }
    if ((authentication == AuthenticationMethod::TokenHeader || authentication == AuthenticationMethod::TokenQuery) &&
        token.trimmed().isEmpty())
        return invalid(tr("Token authentication needs a token"));
    if (authentication == AuthenticationMethod::TlsCertificate) {
        if (!isSecure())
            return invalid(tr("A client certificate needs a wss:// service URL"));
        if (clientCertificateFile.isEmpty() || clientKeyFile.isEmpty())
            return invalid(tr("TLS authentication needs a certificate file and a key file"));
    }
    QSslConfiguration probe = QSslConfiguration::defaultConfiguration();
    return applyTls(&probe);
}

std::optional<ClientError> ConnectionProfile::applyTls(QSslConfiguration *configuration) const
{
    if (!caFile.isEmpty()) {
        const auto pem = readFile(caFile);
        if (!pem)
            return invalid(tr("Cannot read the CA file %1").arg(caFile));
        const QList<QSslCertificate> cas = QSslCertificate::fromData(*pem, QSsl::Pem);
        if (cas.isEmpty())
            return invalid(tr("The CA file %1 holds no PEM certificate").arg(caFile));
        configuration->addCaCertificates(cas);
    }
    if (authentication == AuthenticationMethod::TlsCertificate) {
        const auto certPem = readFile(clientCertificateFile);
        if (!certPem)
            return invalid(tr("Cannot read the certificate file %1").arg(clientCertificateFile));
        const QList<QSslCertificate> chain = QSslCertificate::fromData(*certPem, QSsl::Pem);
        if (chain.isEmpty())
            return invalid(tr("The certificate file %1 holds no PEM certificate").arg(clientCertificateFile));
        const auto keyPem = readFile(clientKeyFile);
        if (!keyPem)
            return invalid(tr("Cannot read the key file %1").arg(clientKeyFile));
        QSslKey key(*keyPem, QSsl::Rsa, QSsl::Pem);
        if (key.isNull())
            key = QSslKey(*keyPem, QSsl::Ec, QSsl::Pem);
        if (key.isNull())
            return invalid(tr("The key file %1 holds no unencrypted RSA or EC private key").arg(clientKeyFile));
        configuration->setLocalCertificateChain(chain);
        configuration->setPrivateKey(key);
    }
    return std::nullopt;
}

QByteArray ConnectionProfile::authorizationHeader() const
{
    if (authentication != AuthenticationMethod::TokenHeader)
        return QByteArray();
    return "Bearer " + token.trimmed().toUtf8();
}

QUrl ConnectionProfile::authenticatedUrl(const QUrl &url) const
{
    if (authentication != AuthenticationMethod::TokenQuery)
        return url;
    // Appended to the already-encoded query rather than rebuilt through QUrlQuery, which could re-encode the
    // items endpointUrl() escaped on purpose ('+' as %2B). The token is percent-encoded so that a pasted '+' or
    // '=' survives form decoding on the server.
    QUrl result = url;
    QString query = url.query(QUrl::FullyEncoded);
    if (!query.isEmpty())
        query += QLatin1Char('&');
    query += QLatin1String("token=") + QString::fromLatin1(QUrl::toPercentEncoding(token.trimmed()));
    result.setQuery(query);
    return result;
}

QNetworkRequest ConnectionProfile::request(const QUrl &url) const
{
    QNetworkRequest request(authenticatedUrl(url));
    const QByteArray authorization = authorizationHeader();
    if (!authorization.isEmpty())
        request.setRawHeader("Authorization", authorization);
    if (isSecure() || url.scheme().toLower() == QLatin1String("wss") ||
        url.scheme().toLower() == QLatin1String("https")) {
        QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
        applyTls(&configuration); // validate() reported any problem before a session got this far
        request.setSslConfiguration(configuration);
    }
    return request;
}

QString displayUrl(const QUrl &url)
{
    return redactSecrets(url.toString());
}

} // namespace Pulsar
