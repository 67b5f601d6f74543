#include "authenticator.h"

#include <QDateTime>
#include <QJsonArray>

#include <cmath>

namespace Proxy {

namespace {

const QByteArray BearerPrefix = QByteArrayLiteral("Bearer ");
const QString TokenMethodName = QStringLiteral("token");

// A NumericDate claim in milliseconds, as jjwt reads it (seconds since the epoch, fractions dropped).
std::optional<qint64> numericDateMs(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double seconds = value.toDouble();
    if (!std::isfinite(seconds) || std::fabs(seconds) > 9.0e12)
        return std::nullopt;
    return qint64(seconds) * 1000;
}

} // namespace

Authenticator::Authenticator(const AuthConfig &config)
    : m_enabled(config.authenticationEnabled)
    , m_verifier(config.keyKind, config.validationKey)
    , m_roleClaim(config.tokenAuthClaim.isEmpty() ? QStringLiteral("sub") : config.tokenAuthClaim)
    , m_audienceClaim(config.tokenAudienceClaim)
    , m_audience(config.tokenAudience)
    , m_anonymousRole(config.anonymousUserRole)
    , m_nowMs([] { return QDateTime::currentMSecsSinceEpoch(); })
{}

AuthResult Authenticator::fail(QString detail) const
{
    AuthResult result;
    result.detail = std::move(detail);
    return result;
}

AuthResult Authenticator::authenticate(const std::optional<QByteArray> &authorizationHeader,
                                       const QList<QPair<QString, QString>> &query,
                                       const std::optional<QByteArray> &authMethodName) const
{
    if (!m_enabled)
        return AuthResult{true, QString(), QString()};

    // The WebSocket service's request wrapper: the query parameter stands in for the header only when the header
    // is absent, and gets the "Bearer " prefix unless it already has it. Only the first "token" counts.
    std::optional<QByteArray> value = authorizationHeader;
    if (!value) {
        for (const auto &item : query) {
            if (item.first == QLatin1String("token")) {
                QByteArray token = item.second.toUtf8();
                value = token.startsWith(BearerPrefix) ? token : BearerPrefix + token;
                break;
            }
        }
    }

    if (authMethodName) {
        // A named method is the only one tried, and its failure is final: no anonymous fallback.
        if (QString::fromLatin1(*authMethodName) != TokenMethodName)
            return fail(
                QStringLiteral("Unsupported authentication method: [%1].").arg(QString::fromLatin1(*authMethodName)));
        return authenticateHeaderValue(value);
    }

    AuthResult result = authenticateHeaderValue(value);
    if (!result.ok && !m_anonymousRole.isEmpty())
        return AuthResult{true, m_anonymousRole, QStringLiteral("anonymous role used: ") + result.detail};
    return result;
}

AuthResult Authenticator::authenticateHeaderValue(const std::optional<QByteArray> &value) const
{
    if (!value || !value->startsWith(BearerPrefix))
        return fail(QStringLiteral("Invalid HTTP Authorization header"));
    const QByteArray token = value->mid(BearerPrefix.size());
    if (token.trimmed().isEmpty())
        return fail(QStringLiteral("Blank token found"));
    return authenticateToken(token);
}

AuthResult Authenticator::authenticateToken(QByteArrayView token) const
{
    const JwtVerifier::Outcome verified = m_verifier.verify(token);
    if (!verified.ok)
        return fail(QStringLiteral("Failed to authentication token: ") + verified.detail);
    const QJsonObject &claims = verified.claims;
    const qint64 now = m_nowMs();

    const QJsonValue exp = claims.value(QStringLiteral("exp"));
    if (!exp.isUndefined()) {
        const auto expMs = numericDateMs(exp);
        if (!expMs)
            return fail(QStringLiteral("Failed to authentication token: exp is not a number"));
        if (now > *expMs)
            return fail(QStringLiteral("Failed to authentication token: JWT expired"));
    }
    const QJsonValue nbf = claims.value(QStringLiteral("nbf"));
    if (!nbf.isUndefined()) {
        const auto nbfMs = numericDateMs(nbf);
        if (!nbfMs)
            return fail(QStringLiteral("Failed to authentication token: nbf is not a number"));
        if (now < *nbfMs)
            return fail(QStringLiteral("Failed to authentication token: JWT must not be accepted before nbf"));
    }

    if (!m_audienceClaim.isEmpty()) {
        const QJsonValue audience = claims.value(m_audienceClaim);
        bool matched = false;
        if (audience.isString()) {
            matched = audience.toString() == m_audience;
        } else if (audience.isArray()) {
            const QJsonArray list = audience.toArray();
            for (const QJsonValue &item : list)
                matched = matched || (item.isString() && item.toString() == m_audience);
        } else {
            return fail(QStringLiteral("Found null Audience in token, for claimed field: ") + m_audienceClaim);
        }
        if (!matched)
            return fail(QStringLiteral("Audiences in token do not contain this service: ") + m_audience);
    }

    // The role claim is a string, or a list whose first element is a string (Pulsar's getPrincipal).
    const QJsonValue roleValue = claims.value(m_roleClaim);
    QString role;
    if (roleValue.isString())
        role = roleValue.toString();
    else if (roleValue.isArray() && !roleValue.toArray().isEmpty() && roleValue.toArray().first().isString())
        role = roleValue.toArray().first().toString();
    if (role.isEmpty())
        return fail(QStringLiteral("Found no role in token, for claimed field: ") + m_roleClaim);
    return AuthResult{true, role, QString()};
}

} // namespace Proxy
