#pragma once

#include "authconfig.h"
#include "jwtverifier.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <functional>
#include <optional>

namespace Proxy {

// The outcome of authenticating one request. On failure the front answers 401 with
// Authenticator::failureMessage(); detail says why for the log and never contains the token.
struct AuthResult
{
    bool ok = false;
    QString role;   // empty when authentication is disabled
    QString detail; // why it failed (or why the anonymous role was used)
};

// Finds the caller's role for an HTTP or WebSocket upgrade request as Pulsar's token provider and
// AuthenticationService do: "Authorization: Bearer <jwt>" (prefix case-sensitive), else the "token" query
// parameter (with or without "Bearer "), the token checked against the configured key, its expiry and not-before
// times, the optional audience, and the role taken from the configured claim. When every check fails and
// anonymousUserRole is set, that role is used instead, unless the client named the method with
// X-Pulsar-Auth-Method-Name. Takes plain values so that it does not depend on the HTTP front.
class Authenticator final
{
public:
    explicit Authenticator(const AuthConfig &config);

    bool isEnabled() const { return m_enabled; }

    // authorizationHeader: the "Authorization" header's value if the header is present (even empty);
    // query: the decoded query items in order (HttpRequestHead::queryItems()); authMethodName: the value of
    // "X-Pulsar-Auth-Method-Name" if present.
    AuthResult authenticate(const std::optional<QByteArray> &authorizationHeader,
                            const QList<QPair<QString, QString>> &query,
                            const std::optional<QByteArray> &authMethodName = std::nullopt) const;
    // The token provider alone, on a bare token (no "Bearer "), without the anonymous fallback.
    AuthResult authenticateToken(QByteArrayView token) const;

    // Pulsar's handshake message for 401.
    static QByteArray failureMessage() { return QByteArrayLiteral("Failed to authenticate"); }

    // Tests pin the clock (milliseconds since the epoch) to check expiry boundaries.
    void setClockForTesting(std::function<qint64()> nowMs) { m_nowMs = std::move(nowMs); }

private:
    AuthResult authenticateHeaderValue(const std::optional<QByteArray> &value) const;
    AuthResult fail(QString detail) const;

    bool m_enabled;
    JwtVerifier m_verifier;
    QString m_roleClaim;
    QString m_audienceClaim;
    QString m_audience;
    QString m_anonymousRole;
    std::function<qint64()> m_nowMs;
};

} // namespace Proxy
