#pragma once

#include "protocol/error.h"

#include <QByteArray>
#include <QHash>
#include <QSet>
#include <QString>

namespace Proxy {

// Pulsar's AuthAction names. Only Produce and Consume are checked by the WebSocket service; the others are
// accepted in the config so that a grant copied from a real cluster loads unchanged.
enum class AuthAction
{
    Produce = 0x01,
    Consume = 0x02,
    Functions = 0x04,
    Sources = 0x08,
    Sinks = 0x10,
    Packages = 0x20,
};
using AuthActions = unsigned int; // an OR of AuthAction values

inline bool hasAction(AuthActions actions, AuthAction action)
{
    return (actions & static_cast<unsigned int>(action)) != 0;
}

// role -> granted actions, as in Pulsar's auth_policies maps.
using RoleGrants = QHash<QString, AuthActions>;

// The authentication and authorization settings of the bundled service, read from one JSON file. Key material
// is resolved when the file is loaded (Pulsar's "data:", "file:", path and base64 forms), so a bad key is
// reported at start-up and never on a client's request. Example:
//
//   {
//     "authenticationEnabled": true, "authorizationEnabled": true,
//     "tokenSecretKey": "file:///etc/pulsar-desk/secret.key",     // or "tokenPublicKey" (+ "tokenPublicAlg")
//     "tokenAuthClaim": "sub", "tokenAudienceClaim": "aud", "tokenAudience": "desk",
//     "anonymousUserRole": "", "superUserRoles": ["admin"], "authorizationAllowWildcardsMatching": false,
//     "grants": {
//       "namespaces": {"public/default": {"role-a": ["produce", "consume"]}},
//       "topics": {"persistent://public/default/t": {"role-b": ["consume"]}},
//       "subscriptions": {"public/default": {"sub-1": ["role-a"]}}
//     }
//   }
struct AuthConfig
{
    enum class KeyKind
    {
        None,
        Secret,    // HMAC: HS256, HS384, HS512
        RsaPublic, // RS256, RS384, RS512
        EcPublic,  // ES256, ES384, ES512
    };

    bool authenticationEnabled = false;
    bool authorizationEnabled = false;

    KeyKind keyKind = KeyKind::None;
    // The raw HMAC secret (Secret) or the public key as SubjectPublicKeyInfo PEM (RsaPublic, EcPublic).
    QByteArray validationKey;
    QString tokenAuthClaim = QStringLiteral("sub");
    QString tokenAudienceClaim; // empty: the audience is not checked
    QString tokenAudience;
    QString anonymousUserRole; // empty: no anonymous access

    QSet<QString> superUserRoles;
    bool authorizationAllowWildcardsMatching = false;
    QHash<QString, RoleGrants> namespaceGrants; // key: NamespaceName::toString()
    QHash<QString, RoleGrants> topicGrants;     // key: TopicName::toString() (normalised full name)
    // namespace -> subscription -> roles allowed to use it (Pulsar's subscription_auth_roles).
    QHash<QString, QHash<QString, QSet<QString>>> subscriptionRoles;

    // Reads and validates the file. Relative key paths are resolved against the file's directory.
    static Pulsar::Result<AuthConfig> load(const QString &path);
    // The same from JSON text (baseDir resolves relative key paths).
    static Pulsar::Result<AuthConfig> fromJson(const QByteArray &json, const QString &baseDir);
    // Pulsar's key forms: "data:[<type>][;base64],<data>", "file:<url>", a path to an existing file, else base64
    // text. Returns the key bytes.
    static Pulsar::Result<QByteArray> readKey(const QString &value, const QString &baseDir);
};

} // namespace Proxy
