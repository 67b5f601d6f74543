#pragma once

#include "clienterror.h"

#include <QList>
#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QSslError>
#include <QString>
#include <QUrl>

#include <optional>

namespace Pulsar {

// How a client proves who it is to the service.
enum class AuthenticationMethod
{
    None,
    TokenHeader,    // Authorization: Bearer <token>
    TokenQuery,     // ?token=<token>, for servers or proxies that drop the Authorization header
    TlsCertificate, // a client certificate and key presented in the TLS handshake (wss:// only)
};

// One Pulsar cluster as the user configured it: where its WebSocket service and admin API live and how to
// authenticate. A plain value; the token is held in memory only and never written anywhere by this library
// (the desktop app keeps it in the keychain).
struct ConnectionProfile
{
    QString name;
    QUrl serviceUrl; // ws://host:port[/prefix] or wss://...
    QUrl adminUrl;   // empty: the http(s) form of serviceUrl (same host, port and prefix)
    AuthenticationMethod authentication = AuthenticationMethod::None;
    QString token;                 // TokenHeader / TokenQuery
    QString clientCertificateFile; // TlsCertificate: PEM certificate
    QString clientKeyFile;         // TlsCertificate: PEM private key (unencrypted)
    QString caFile;                // PEM CA certificates to trust in addition to the system's
    // Ignore certificate verification errors. Off unless the user explicitly turned it on; never implied by
    // anything else (a missing CA file, say).
    bool allowInsecureTls = false;

    bool isSecure() const;
    // adminUrl, or ws->http / wss->https of serviceUrl keeping host, port and path prefix.
    QUrl effectiveAdminUrl() const;

    // Checks what can be checked without the network: the URL schemes, the token for token methods, the TLS
    // files (readable and parseable). InvalidConfiguration with a translated detail.
    std::optional<ClientError> validate() const;

    // The TLS settings every connection of this profile uses: the CA file added to the system CAs, the client
    // certificate and key. Errors (unreadable or unparseable files) are InvalidConfiguration.
    std::optional<ClientError> applyTls(QSslConfiguration *configuration) const;

    // The request for a WebSocket or HTTP URL of this profile: Authorization header or token query item, TLS
    // settings. The request's URL may hold the token: show it only through displayUrl().
    QNetworkRequest request(const QUrl &url) const;

    // The URL with the token query item added (TokenQuery), for the raw diagnostic handshake.
    QUrl authenticatedUrl(const QUrl &url) const;
    // The Authorization header value, or empty.
    QByteArray authorizationHeader() const;
};

// A URL as it may appear in logs and errors: token= removed.
QString displayUrl(const QUrl &url);

} // namespace Pulsar
