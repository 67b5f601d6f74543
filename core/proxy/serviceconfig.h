#pragma once

#include "auth/authconfig.h"

#include <QHostAddress>
#include <QString>

namespace Proxy {

// How the bundled service listens and behaves on the wire. Defaults follow Pulsar standalone's
// (conf/standalone.conf) except the bind address: loopback unless told otherwise.
struct ServiceConfig
{
    QHostAddress host = QHostAddress::LocalHost;
    quint16 port = 8080;                             // 0 picks a free port
    QString pathPrefix;                              // serve under a prefix, as behind a reverse proxy ("" = none)
    qint64 maxTextFrameBytes = 1048576;              // webSocketMaxTextFrameSize
    qint64 idleTimeoutMs = 300000;                   // webSocketSessionIdleTimeoutMillis
    int serverPingSeconds = -1;                      // webSocketPingDurationSeconds; off by default
    qint64 outgoingHighWaterBytes = 4 * 1024 * 1024; // stop pushing to a slow client above this
    QString version = QStringLiteral("0.1.0");
    // Off by default, as in Pulsar standalone; loaded from --auth-config.
    AuthConfig auth;
    // wss:// and https:// when both are set; a CA file makes clients present a certificate.
    QString tlsCertFile;
    QString tlsKeyFile;
    QString tlsCaFile;
    bool tlsEnabled() const { return !tlsCertFile.isEmpty() && !tlsKeyFile.isEmpty(); }
};

} // namespace Proxy
