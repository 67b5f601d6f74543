#include "jwtverifier.h"

#include <QJsonDocument>

#include <jwt.h>

#include <cstdlib>
#include <memory>

namespace Proxy {

namespace {

struct JwtDeleter
{
    void operator()(jwt_t *jwt) const { jwt_free(jwt); }
};
struct CharDeleter
{
    void operator()(char *text) const { std::free(text); }
};

// A compact JWS is three base64url parts separated by two dots. Checking the shape first matters because
// libjwt works on C strings: an embedded NUL would cut the token short and trailing bytes would be ignored.
QString shapeProblem(QByteArrayView token)
{
    int dots = 0;
    qsizetype lastDot = -1;
    for (qsizetype i = 0; i < token.size(); ++i) {
        const char c = token[i];
        if (c == '.') {
            if (i == lastDot + 1)
                return QStringLiteral("empty token part");
            lastDot = i;
            ++dots;
            continue;
        }
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '_' || c == '=';
        if (!ok)
            return QStringLiteral("token contains a character outside base64url");
    }
    if (dots != 2)
        return QStringLiteral("token is not header.payload.signature");
    if (lastDot == token.size() - 1)
        return QStringLiteral("unsigned token (empty signature)");
    return QString();
}

} // namespace

JwtVerifier::JwtVerifier(AuthConfig::KeyKind kind, QByteArray key)
    : m_kind(kind)
    , m_key(std::move(key))
{}

bool JwtVerifier::algorithmAllowed(int libjwtAlg) const
{
    // The key decides the algorithm family, never the token: an HS256 token must not be checked against an RSA
    // public key used as an HMAC secret (libjwt would happily do that), and "none" is never accepted.
    switch (m_kind) {
    case AuthConfig::KeyKind::Secret:
        // As jjwt, an HMAC key must be at least as long as the hash it is used with.
        return (libjwtAlg == JWT_ALG_HS256 && m_key.size() >= 32) ||
               (libjwtAlg == JWT_ALG_HS384 && m_key.size() >= 48) || (libjwtAlg == JWT_ALG_HS512 && m_key.size() >= 64);
    case AuthConfig::KeyKind::RsaPublic:
        return libjwtAlg == JWT_ALG_RS256 || libjwtAlg == JWT_ALG_RS384 || libjwtAlg == JWT_ALG_RS512;
    case AuthConfig::KeyKind::EcPublic:
        return libjwtAlg == JWT_ALG_ES256 || libjwtAlg == JWT_ALG_ES384 || libjwtAlg == JWT_ALG_ES512;
    case AuthConfig::KeyKind::None:
        return false;
    }
    return false;
}

JwtVerifier::Outcome JwtVerifier::verify(QByteArrayView token) const
{
    Outcome outcome;
    if (m_kind == AuthConfig::KeyKind::None || m_key.isEmpty()) {
        outcome.detail = QStringLiteral("no validation key configured");
        return outcome;
    }
    outcome.detail = shapeProblem(token);
    if (!outcome.detail.isEmpty())
        return outcome;

    const QByteArray text = token.toByteArray(); // NUL-terminated for libjwt
    jwt_t *raw = nullptr;
    const int rc = jwt_decode(&raw, text.constData(), reinterpret_cast<const unsigned char *>(m_key.constData()),
                              int(m_key.size()));
    const std::unique_ptr<jwt_t, JwtDeleter> jwt(raw);
    if (rc != 0 || !jwt) {
        outcome.detail = QStringLiteral("token signature or encoding is invalid");
        return outcome;
    }
    const jwt_alg_t alg = jwt_get_alg(jwt.get());
    const char *algName = jwt_alg_str(alg);
    if (!algorithmAllowed(alg)) {
        outcome.detail = QStringLiteral("token algorithm %1 is not accepted for the configured key")
                             .arg(algName ? QString::fromLatin1(algName) : QStringLiteral("?"));
        return outcome;
    }
    const std::unique_ptr<char, CharDeleter> grants(jwt_get_grants_json(jwt.get(), nullptr));
    if (!grants) {
        outcome.detail = QStringLiteral("token has no claims");
        return outcome;
    }
    QJsonParseError parseError;
    const QJsonDocument claims = QJsonDocument::fromJson(QByteArray(grants.get()), &parseError);
    if (parseError.error != QJsonParseError::NoError || !claims.isObject()) {
        outcome.detail = QStringLiteral("token claims are not a JSON object");
        return outcome;
    }
    outcome.ok = true;
    outcome.claims = claims.object();
    outcome.algorithm = QString::fromLatin1(algName);
    outcome.detail.clear();
    return outcome;
}

} // namespace Proxy
