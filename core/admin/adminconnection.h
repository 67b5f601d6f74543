#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace Pulsar {

// Where and how AdminClient reaches a cluster's admin REST API: the base URL plus the same authentication and TLS
// settings the WebSocket sessions use. It mirrors core/client's ConnectionProfile field for field (effectiveAdminUrl(),
// TokenHeader/TokenQuery and token, caFile, clientCertificateFile/clientKeyFile, allowInsecureTls) without linking
// pdesk_client, so that core/admin stays Qt Core + Network; whoever holds a profile fills one of these from it.
struct AdminConnection
{
    enum class TokenMode
    {
        None,
        BearerHeader,   // Authorization: Bearer <token> (what Pulsar's own admin client sends)
        QueryParameter, // ?token=<token>, for deployments whose gateway strips Authorization
    };

    // http(s)://host:port, optionally with a path prefix ("https://gw.example/pulsar"); "/admin/v2" (or "/admin"
    // for v1 names) is appended.
    QUrl adminUrl;
    TokenMode tokenMode = TokenMode::None;
    QByteArray token; // never logged, never part of AdminCall::url()
    // PEM CA certificates trusted for https in addition to the system's, as ConnectionProfile does.
    QString caFile;
    // PEM client certificate and unencrypted private key (RSA or EC), for servers that require one.
    QString clientCertFile;
    QString clientKeyFile;
    // Accept any server certificate (self-signed test clusters). Explicit, never a fallback.
    bool allowInsecureTls = false;
    // A call fails with AdminError::Timeout when no byte moves for this long (QNetworkRequest transfer timeout).
    int timeoutMs = 30000;
    // 307/308 redirects (a topic owned by another broker) are followed this many times at most.
    int maxRedirects = 10;
};

} // namespace Pulsar
