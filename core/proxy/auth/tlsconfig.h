#pragma once

#include "protocol/error.h"

#include <QDateTime>
#include <QSslConfiguration>
#include <QString>
#include <QStringList>

namespace Proxy {

// A server-side TLS configuration ready for QSslServer, plus what the operator should be told but that does not
// stop the service (an expired or not yet valid certificate: clients decide whether to trust it).
struct ServerTls
{
    QSslConfiguration configuration;
    QStringList warnings; // translated
};

// Loads the certificate chain (PEM, leaf first) and its private key (PEM, unencrypted RSA or EC), checks that
// the key belongs to the certificate, and allows TLS 1.2 and later only. With caFile, clients must present a
// certificate signed by one of its CAs (Pulsar's tlsRequireTrustedClientCertOnConnect); without it, none is
// asked for. Errors name the file and the problem (unreadable, not PEM, key does not match).
Pulsar::Result<ServerTls> loadServerTls(const QString &certFile, const QString &keyFile,
                                        const QString &caFile = QString(),
                                        const QDateTime &now = QDateTime::currentDateTimeUtc());

} // namespace Proxy
