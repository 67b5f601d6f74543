#include "authconfig.h"

#include "protocol/topicname.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslKey>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace Proxy {

using Pulsar::ErrorCode;
using Pulsar::makeError;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Proxy::AuthConfig", text);
}

Pulsar::Error fieldError(const QString &message)
{
    return makeError(ErrorCode::InvalidField, message);
}

// HMAC keys shorter than the hash are refused by jjwt (WeakKeyException), so Pulsar cannot start with one;
// refusing them here keeps a config that works here working there.
constexpr int MinSecretKeyBytes = 32;
// jjwt refuses RSA verification keys below 2048 bits.
constexpr int MinRsaKeyBits = 2048;

Pulsar::Result<QByteArray> readFile(const QString &path, const QString &setting)
{
    QFile file(path);
    if (!file.exists())
        return fieldError(tr("%1: the key file \"%2\" does not exist").arg(setting, path));
    if (!file.open(QIODevice::ReadOnly))
        return fieldError(tr("%1: cannot read the key file \"%2\": %3").arg(setting, path, file.errorString()));
    return file.readAll();
}

QString resolvePath(const QString &path, const QString &baseDir)
{
    if (QFileInfo(path).isAbsolute() || baseDir.isEmpty())
        return path;
    return QDir(baseDir).filePath(path);
}

bool isBase64Text(const QString &text)
{
    if (text.isEmpty())
        return false;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        const bool ok = (u >= u'A' && u <= u'Z') || (u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9') || u == u'+' ||
                        u == u'/' || u == u'-' || u == u'_' || u == u'=';
        if (!ok)
            return false;
    }
    return true;
}

Pulsar::Result<QByteArray> decodeBase64(const QString &text, const QString &setting)
{
    const QByteArray latin = text.toLatin1();
    auto decoded = QByteArray::fromBase64Encoding(latin, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) {
        decoded = QByteArray::fromBase64Encoding(latin, QByteArray::Base64UrlEncoding |
                                                            QByteArray::AbortOnBase64DecodingErrors);
    }
    if (!decoded || decoded.decoded.isEmpty())
        return fieldError(tr("%1: the value is not valid base64").arg(setting));
    return decoded.decoded;
}

Pulsar::Result<QByteArray> readKeyAs(const QString &value, const QString &baseDir, const QString &setting)
{
    if (value.startsWith(QLatin1String("data:"))) {
        const qsizetype comma = value.indexOf(QLatin1Char(','));
        if (comma < 0)
            return fieldError(tr("%1: a data URL needs a comma before its data (data:;base64,...)").arg(setting));
        const QString header = value.mid(5, comma - 5);
        const QString data = value.mid(comma + 1);
        if (data.isEmpty())
            return fieldError(tr("%1: the data URL carries no data").arg(setting));
        if (header.endsWith(QLatin1String(";base64")))
            return decodeBase64(data, setting);
        return QByteArray::fromPercentEncoding(data.toUtf8());
    }
    if (value.startsWith(QLatin1String("file:"))) {
        const QUrl url(value);
        QString path = url.toLocalFile();
        if (path.isEmpty())
            path = value.mid(5);
        return readFile(resolvePath(path, baseDir), setting);
    }
    const QString path = resolvePath(value, baseDir);
    if (QFileInfo::exists(path))
        return readFile(path, setting);
    if (isBase64Text(value))
        return decodeBase64(value, setting);
    return fieldError(tr("%1: \"%2\" is neither an existing key file nor base64 text").arg(setting, value));
}

Pulsar::Result<AuthActions> parseActions(const QJsonValue &value, const QString &where)
{
    if (!value.isArray())
        return fieldError(tr("%1: expected an array of actions (\"produce\", \"consume\")").arg(where));
    AuthActions actions = 0;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &item : array) {
        const QString name = item.toString();
        if (name == QLatin1String("produce"))
            actions |= static_cast<unsigned int>(AuthAction::Produce);
        else if (name == QLatin1String("consume"))
            actions |= static_cast<unsigned int>(AuthAction::Consume);
        else if (name == QLatin1String("functions"))
            actions |= static_cast<unsigned int>(AuthAction::Functions);
        else if (name == QLatin1String("sources"))
            actions |= static_cast<unsigned int>(AuthAction::Sources);
        else if (name == QLatin1String("sinks"))
            actions |= static_cast<unsigned int>(AuthAction::Sinks);
        else if (name == QLatin1String("packages"))
            actions |= static_cast<unsigned int>(AuthAction::Packages);
        else if (item.isString())
            return fieldError(tr("%1: unknown action \"%2\" (expected produce, consume, functions, sources, sinks "
                                 "or packages)")
                                  .arg(where, name));
        else
            return fieldError(tr("%1: actions must be strings").arg(where));
    }
    return actions;
}

Pulsar::Result<RoleGrants> parseRoleGrants(const QJsonValue &value, const QString &where)
{
    if (!value.isObject())
        return fieldError(tr("%1: expected an object of role -> actions").arg(where));
    RoleGrants grants;
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.key().isEmpty())
            return fieldError(tr("%1: a role name is empty").arg(where));
        auto actions = parseActions(it.value(), where + QLatin1Char('/') + it.key());
        if (!actions)
            return actions.error();
        grants.insert(it.key(), *actions);
    }
    return grants;
}

Pulsar::Result<QSet<QString>> parseRoleList(const QJsonValue &value, const QString &where)
{
    if (!value.isArray())
        return fieldError(tr("%1: expected an array of role names").arg(where));
    QSet<QString> roles;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &item : array) {
        if (!item.isString() || item.toString().isEmpty())
            return fieldError(tr("%1: role names must be non-empty strings").arg(where));
        roles.insert(item.toString());
    }
    return roles;
}

Pulsar::Result<QString> namespaceKey(const QString &name, const QString &where)
{
    const auto ns = Pulsar::NamespaceName::parse(name);
    if (!ns)
        return fieldError(tr("%1: invalid namespace \"%2\": %3").arg(where, name, ns.error().message));
    return ns->toString();
}

std::optional<Pulsar::Error> parseGrants(const QJsonValue &value, AuthConfig &config)
{
    if (!value.isObject())
        return fieldError(tr("grants: expected an object with \"namespaces\", \"topics\" and \"subscriptions\""));
    const QJsonObject grants = value.toObject();
    for (auto it = grants.begin(); it != grants.end(); ++it) {
        const QString &section = it.key();
        if (section != QLatin1String("namespaces") && section != QLatin1String("topics") &&
            section != QLatin1String("subscriptions")) {
            return fieldError(
                tr("grants: unknown section \"%1\" (expected namespaces, topics or subscriptions)").arg(section));
        }
        const QString where = QLatin1String("grants/") + section;
        if (!it.value().isObject())
            return fieldError(tr("%1: expected an object").arg(where));
        const QJsonObject entries = it.value().toObject();
        for (auto entry = entries.begin(); entry != entries.end(); ++entry) {
            const QString entryWhere = where + QLatin1Char('/') + entry.key();
            if (section == QLatin1String("topics")) {
                const auto topic = Pulsar::TopicName::parse(entry.key());
                if (!topic) {
                    return fieldError(
                        tr("%1: invalid topic \"%2\": %3").arg(where, entry.key(), topic.error().message));
                }
                auto roleGrants = parseRoleGrants(entry.value(), entryWhere);
                if (!roleGrants)
                    return roleGrants.error();
                config.topicGrants.insert(topic->toString(), *roleGrants);
                continue;
            }
            const auto ns = namespaceKey(entry.key(), where);
            if (!ns)
                return ns.error();
            if (section == QLatin1String("namespaces")) {
                auto roleGrants = parseRoleGrants(entry.value(), entryWhere);
                if (!roleGrants)
                    return roleGrants.error();
                config.namespaceGrants.insert(*ns, *roleGrants);
                continue;
            }
            if (!entry.value().isObject())
                return fieldError(tr("%1: expected an object of subscription -> roles").arg(entryWhere));
            const QJsonObject subscriptions = entry.value().toObject();
            QHash<QString, QSet<QString>> bySubscription;
            for (auto sub = subscriptions.begin(); sub != subscriptions.end(); ++sub) {
                auto roles = parseRoleList(sub.value(), entryWhere + QLatin1Char('/') + sub.key());
                if (!roles)
                    return roles.error();
                bySubscription.insert(sub.key(), *roles);
            }
            config.subscriptionRoles.insert(*ns, bySubscription);
        }
    }
    return std::nullopt;
}

Pulsar::Result<QString> stringSetting(const QJsonObject &root, const QString &key)
{
    const QJsonValue value = root.value(key);
    if (value.isUndefined() || value.isNull())
        return QString();
    if (!value.isString())
        return fieldError(tr("%1: expected a string").arg(key));
    return value.toString().trimmed();
}

Pulsar::Result<bool> boolSetting(const QJsonObject &root, const QString &key)
{
    const QJsonValue value = root.value(key);
    if (value.isUndefined() || value.isNull())
        return false;
    if (!value.isBool())
        return fieldError(tr("%1: expected true or false").arg(key));
    return value.toBool();
}

// Normalises a public key (PEM or DER SubjectPublicKeyInfo, Pulsar's tokens tool writes DER) to PEM for libjwt.
Pulsar::Result<QByteArray> publicKeyPem(const QByteArray &bytes, QSsl::KeyAlgorithm algorithm)
{
    const QSsl::EncodingFormat format =
        bytes.trimmed().startsWith("-----BEGIN") ? QSsl::EncodingFormat::Pem : QSsl::EncodingFormat::Der;
    const QSslKey key(bytes, algorithm, format, QSsl::PublicKey);
    if (key.isNull()) {
        return fieldError(tr("tokenPublicKey: not a %1 public key in PEM or DER form")
                              .arg(algorithm == QSsl::Rsa ? QStringLiteral("RSA") : QStringLiteral("EC")));
    }
    if (algorithm == QSsl::Rsa && key.length() < MinRsaKeyBits) {
        return fieldError(tr("tokenPublicKey: the RSA key has %1 bits; at least %2 are required")
                              .arg(key.length())
                              .arg(MinRsaKeyBits));
    }
    return key.toPem();
}

const QStringList &knownSettings()
{
    static const QStringList keys = {
        QStringLiteral("authenticationEnabled"),
        QStringLiteral("authorizationEnabled"),
        QStringLiteral("tokenSecretKey"),
        QStringLiteral("tokenPublicKey"),
        QStringLiteral("tokenPublicAlg"),
        QStringLiteral("tokenAuthClaim"),
        QStringLiteral("tokenAudienceClaim"),
        QStringLiteral("tokenAudience"),
        QStringLiteral("anonymousUserRole"),
        QStringLiteral("superUserRoles"),
        QStringLiteral("authorizationAllowWildcardsMatching"),
        QStringLiteral("grants"),
    };
    return keys;
}

} // namespace

Pulsar::Result<QByteArray> AuthConfig::readKey(const QString &value, const QString &baseDir)
{
    return readKeyAs(value, baseDir, QStringLiteral("key"));
}

Pulsar::Result<AuthConfig> AuthConfig::load(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return fieldError(tr("The authentication config file \"%1\" does not exist").arg(path));
    if (!file.open(QIODevice::ReadOnly)) {
        return fieldError(tr("Cannot read the authentication config file \"%1\": %2").arg(path, file.errorString()));
    }
    auto config = fromJson(file.readAll(), QFileInfo(path).absolutePath());
    if (!config)
        return makeError(config.error().code,
                         QFileInfo(path).fileName() + QLatin1String(": ") + config.error().message);
    return config;
}

Pulsar::Result<AuthConfig> AuthConfig::fromJson(const QByteArray &json, const QString &baseDir)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return makeError(ErrorCode::InvalidJson,
                         tr("not valid JSON at offset %1: %2").arg(parseError.offset).arg(parseError.errorString()));
    }
    if (!document.isObject())
        return makeError(ErrorCode::InvalidJson, tr("the top level must be a JSON object"));
    const QJsonObject root = document.object();
    for (auto it = root.begin(); it != root.end(); ++it) {
        // A misspelt security setting silently falling back to its default would be worse than refusing to start.
        if (!knownSettings().contains(it.key()))
            return fieldError(tr("unknown setting \"%1\"").arg(it.key()));
    }

    AuthConfig config;
    auto authn = boolSetting(root, QStringLiteral("authenticationEnabled"));
    if (!authn)
        return authn.error();
    auto authz = boolSetting(root, QStringLiteral("authorizationEnabled"));
    if (!authz)
        return authz.error();
    auto wildcards = boolSetting(root, QStringLiteral("authorizationAllowWildcardsMatching"));
    if (!wildcards)
        return wildcards.error();
    config.authenticationEnabled = *authn;
    config.authorizationEnabled = *authz;
    config.authorizationAllowWildcardsMatching = *wildcards;

    Pulsar::Result<QString> strings[] = {
        stringSetting(root, QStringLiteral("tokenSecretKey")),
        stringSetting(root, QStringLiteral("tokenPublicKey")),
        stringSetting(root, QStringLiteral("tokenPublicAlg")),
        stringSetting(root, QStringLiteral("tokenAuthClaim")),
        stringSetting(root, QStringLiteral("tokenAudienceClaim")),
        stringSetting(root, QStringLiteral("tokenAudience")),
        stringSetting(root, QStringLiteral("anonymousUserRole")),
    };
    for (const auto &s : strings) {
        if (!s)
            return s.error();
    }
    const QString secretKey = *strings[0];
    const QString publicKey = *strings[1];
    const QString publicAlg = strings[2]->isEmpty() ? QStringLiteral("RS256") : *strings[2];
    if (!strings[3]->isEmpty())
        config.tokenAuthClaim = *strings[3];
    config.tokenAudienceClaim = *strings[4];
    config.tokenAudience = *strings[5];
    config.anonymousUserRole = *strings[6];

    if (!config.tokenAudienceClaim.isEmpty() && config.tokenAudience.isEmpty()) {
        return fieldError(tr("tokenAudienceClaim \"%1\" is set but tokenAudience (the audience that stands for this "
                             "service) is not")
                              .arg(config.tokenAudienceClaim));
    }
    if (config.authorizationEnabled && !config.authenticationEnabled) {
        // Without authentication every request has no role, so every check would be refused.
        return fieldError(tr("authorizationEnabled needs authenticationEnabled"));
    }
    if (!secretKey.isEmpty() && !publicKey.isEmpty())
        return fieldError(tr("set either tokenSecretKey or tokenPublicKey, not both"));

    if (!secretKey.isEmpty()) {
        auto key = readKeyAs(secretKey, baseDir, QStringLiteral("tokenSecretKey"));
        if (!key)
            return key.error();
        if (key->size() < MinSecretKeyBytes) {
            return fieldError(tr("tokenSecretKey: the key has %1 bits; HMAC-SHA needs at least %2")
                                  .arg(key->size() * 8)
                                  .arg(MinSecretKeyBytes * 8));
        }
        config.keyKind = KeyKind::Secret;
        config.validationKey = *key;
    } else if (!publicKey.isEmpty()) {
        QSsl::KeyAlgorithm algorithm;
        if (publicAlg == QLatin1String("RS256") || publicAlg == QLatin1String("RS384") ||
            publicAlg == QLatin1String("RS512")) {
            config.keyKind = KeyKind::RsaPublic;
            algorithm = QSsl::Rsa;
        } else if (publicAlg == QLatin1String("ES256") || publicAlg == QLatin1String("ES384") ||
                   publicAlg == QLatin1String("ES512")) {
            config.keyKind = KeyKind::EcPublic;
            algorithm = QSsl::Ec;
        } else {
            return fieldError(
                tr("tokenPublicAlg: unsupported algorithm \"%1\" (expected RS256, RS384, RS512, ES256, ES384 or "
                   "ES512)")
                    .arg(publicAlg));
        }
        auto key = readKeyAs(publicKey, baseDir, QStringLiteral("tokenPublicKey"));
        if (!key)
            return key.error();
        auto pem = publicKeyPem(*key, algorithm);
        if (!pem)
            return pem.error();
        config.validationKey = *pem;
    } else if (config.authenticationEnabled) {
        return fieldError(tr("authenticationEnabled needs tokenSecretKey or tokenPublicKey"));
    }

    const QJsonValue superUsers = root.value(QStringLiteral("superUserRoles"));
    if (!superUsers.isUndefined() && !superUsers.isNull()) {
        auto roles = parseRoleList(superUsers, QStringLiteral("superUserRoles"));
        if (!roles)
            return roles.error();
        config.superUserRoles = *roles;
    }
    const QJsonValue grants = root.value(QStringLiteral("grants"));
    if (!grants.isUndefined() && !grants.isNull()) {
        if (auto error = parseGrants(grants, config))
            return *error;
    }
    return config;
}

} // namespace Proxy
