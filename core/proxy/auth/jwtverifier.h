#pragma once

#include "authconfig.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QString>

namespace Proxy {

// Checks a compact JWS against the configured validation key with libjwt and hands back its claims. It only
// answers "is this token signed by our key, with an algorithm of our key's family"; the claim rules (expiry,
// audience, role) belong to Authenticator.
class JwtVerifier final
{
public:
    struct Outcome
    {
        bool ok = false;
        QJsonObject claims;
        QString algorithm; // the token's "alg" once verified
        QString detail;    // why it failed, for logs; never contains the token
    };

    JwtVerifier(AuthConfig::KeyKind kind, QByteArray key);

    Outcome verify(QByteArrayView token) const;

private:
    bool algorithmAllowed(int libjwtAlg) const;

    AuthConfig::KeyKind m_kind;
    QByteArray m_key;
};

} // namespace Proxy
