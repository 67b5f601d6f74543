#include "profilestore.h"

#include "local/localservice.h"
#include "settings.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

namespace Pulsar {

namespace {

QString methodName(AuthenticationMethod method)
{
    switch (method) {
    case AuthenticationMethod::None:
        break;
    case AuthenticationMethod::TokenHeader:
        return QStringLiteral("tokenHeader");
    case AuthenticationMethod::TokenQuery:
        return QStringLiteral("tokenQuery");
    case AuthenticationMethod::TlsCertificate:
        return QStringLiteral("tlsCertificate");
    }
    return QStringLiteral("none");
}

AuthenticationMethod methodFromName(const QString &name)
{
    if (name == QLatin1String("tokenHeader"))
        return AuthenticationMethod::TokenHeader;
    if (name == QLatin1String("tokenQuery"))
        return AuthenticationMethod::TokenQuery;
    if (name == QLatin1String("tlsCertificate"))
        return AuthenticationMethod::TlsCertificate;
    return AuthenticationMethod::None;
}

bool needsToken(const ConnectionProfile &profile)
{
    return profile.authentication == AuthenticationMethod::TokenHeader ||
           profile.authentication == AuthenticationMethod::TokenQuery;
}

// The one place a profile becomes JSON for the settings file: the token has no field here, on purpose.
QJsonObject toJson(const ConnectionProfile &p, bool remember)
{
    QJsonObject o;
    o.insert(QStringLiteral("name"), p.name);
    o.insert(QStringLiteral("serviceUrl"), p.serviceUrl.toString());
    o.insert(QStringLiteral("adminUrl"), p.adminUrl.toString());
    o.insert(QStringLiteral("authentication"), methodName(p.authentication));
    o.insert(QStringLiteral("clientCertificateFile"), p.clientCertificateFile);
    o.insert(QStringLiteral("clientKeyFile"), p.clientKeyFile);
    o.insert(QStringLiteral("caFile"), p.caFile);
    o.insert(QStringLiteral("allowInsecureTls"), p.allowInsecureTls);
    o.insert(QStringLiteral("rememberToken"), remember);
    return o;
}

} // namespace

ProfileStore::ProfileStore(Settings *settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
{
    load();
}

ProfileStore::~ProfileStore() = default;

QString ProfileStore::localName()
{
    return QStringLiteral("Local");
}

bool ProfileStore::isLocal(const QString &name)
{
    return name.compare(localName(), Qt::CaseInsensitive) == 0;
}

void ProfileStore::setLocalService(LocalService *local)
{
    if (m_local)
        disconnect(m_local, nullptr, this, nullptr);
    m_local = local;
    if (local)
        connect(local, &LocalService::stateChanged, this, &ProfileStore::changed);
    Q_EMIT changed();
}

ConnectionProfile ProfileStore::localProfile() const
{
    if (m_local)
        return m_local->localProfile();
    ConnectionProfile p;
    p.name = localName();
    p.serviceUrl = QUrl(QStringLiteral("ws://127.0.0.1:") +
                        QString::number(m_settings->value(Settings::LocalServicePort).toInt()));
    return p;
}

int ProfileStore::indexOf(const QString &name) const
{
    for (int i = 0; i < m_profiles.size(); ++i) {
        if (m_profiles.at(i).profile.name.compare(name, Qt::CaseInsensitive) == 0)
            return i;
    }
    return -1;
}

QStringList ProfileStore::names() const
{
    QStringList result{localName()};
    for (const Stored &s : m_profiles)
        result.append(s.profile.name);
    return result;
}

QList<ConnectionProfile> ProfileStore::profiles() const
{
    QList<ConnectionProfile> result{localProfile()};
    for (const Stored &s : m_profiles)
        result.append(s.profile);
    return result;
}

std::optional<ConnectionProfile> ProfileStore::profile(const QString &name) const
{
    if (isLocal(name))
        return localProfile();
    const int i = indexOf(name);
    if (i < 0)
        return std::nullopt;
    return m_profiles.at(i).profile;
}

bool ProfileStore::contains(const QString &name) const
{
    return isLocal(name) || indexOf(name) >= 0;
}

bool ProfileStore::rememberToken(const QString &name) const
{
    const int i = indexOf(name);
    return i >= 0 && m_profiles.at(i).rememberToken;
}

QString ProfileStore::validationError(const ConnectionProfile &profile, const QString &originalName) const
{
    const QString name = profile.name.trimmed();
    if (name.isEmpty())
        return tr("A profile needs a name");
    if (name != profile.name)
        return tr("A profile name cannot start or end with spaces");
    if (isLocal(name) || (!originalName.isEmpty() && isLocal(originalName)))
        return tr("\"%1\" is the built-in profile of the local service and cannot be changed").arg(localName());
    const int existing = indexOf(name);
    if (existing >= 0 && (originalName.isEmpty() ||
                          m_profiles.at(existing).profile.name.compare(originalName, Qt::CaseInsensitive) != 0))
        return tr("A profile named \"%1\" already exists").arg(name);
    // The token is not part of what is stored; stand in for it so that validate() checks everything else.
    ConnectionProfile probe = profile;
    if (needsToken(probe) && probe.token.trimmed().isEmpty())
        probe.token = QStringLiteral("-");
    if (const auto error = probe.validate())
        return error->text();
    return QString();
}

QString ProfileStore::save(const ConnectionProfile &profile, bool remember)
{
    const int existing = indexOf(profile.name);
    const QString error = validationError(profile, existing >= 0 ? m_profiles.at(existing).profile.name : QString());
    if (!error.isEmpty())
        return error;
    Stored stored;
    stored.profile = profile;
    stored.profile.token.clear();
    stored.rememberToken = remember;
    if (existing >= 0)
        m_profiles[existing] = stored;
    else
        m_profiles.append(stored);
    persist();
    Q_EMIT changed();
    return QString();
}

bool ProfileStore::remove(const QString &name, SecretStore *secrets)
{
    if (isLocal(name))
        return false;
    const int i = indexOf(name);
    if (i < 0)
        return false;
    const QString stored = m_profiles.at(i).profile.name;
    m_profiles.removeAt(i);
    m_sessionTokens.remove(stored);
    if (secrets)
        secrets->remove(stored, this, [](const QString &) {});
    persist();
    Q_EMIT changed();
    return true;
}

QString ProfileStore::rename(const QString &oldName, const QString &newName, SecretStore *secrets)
{
    if (isLocal(oldName))
        return tr("\"%1\" is the built-in profile of the local service and cannot be changed").arg(localName());
    const int i = indexOf(oldName);
    if (i < 0)
        return tr("No profile named \"%1\"").arg(oldName);
    ConnectionProfile renamed = m_profiles.at(i).profile;
    const QString from = renamed.name;
    renamed.name = newName;
    const QString error = validationError(renamed, from);
    if (!error.isEmpty())
        return error;
    m_profiles[i].profile = renamed;
    if (m_sessionTokens.contains(from))
        m_sessionTokens.insert(newName, m_sessionTokens.take(from));
    if (secrets && m_profiles.at(i).rememberToken && from != newName) {
        // Read, write under the new key, then delete the old one; a failure leaves the old entry behind, which the
        // session copy (if any) makes harmless for now.
        QPointer<SecretStore> guard(secrets);
        secrets->read(from, this, [this, guard, from, newName](const std::optional<QString> &secret, const QString &) {
            if (!guard || !secret)
                return;
            guard->write(newName, *secret, this, [this, guard, from](const QString &writeError) {
                if (guard && writeError.isEmpty())
                    guard->remove(from, this, [](const QString &) {});
            });
        });
    }
    persist();
    Q_EMIT changed();
    return QString();
}

void ProfileStore::storeToken(SecretStore *secrets, const QString &name, const QString &token, bool remember,
                              const QObject *context, SecretStore::DoneCallback done)
{
    if (token.isEmpty()) {
        m_sessionTokens.remove(name);
        if (!secrets) {
            QTimer::singleShot(0, context, [done] { done(QString()); });
            return;
        }
        secrets->remove(name, context, std::move(done));
        return;
    }
    m_sessionTokens.insert(name, token);
    if (!secrets) {
        QTimer::singleShot(0, context, [done] { done(QString()); });
        return;
    }
    if (!remember) {
        // A token remembered before the user turned "remember" off must not stay in the keychain. Nothing to
        // report if that fails: without a keychain there is nothing to delete.
        secrets->remove(name, context, [done](const QString &) { done(QString()); });
        return;
    }
    secrets->write(name, token, context, [done](const QString &error) {
        if (error.isEmpty())
            done(QString());
        else
            done(tr("%1; the token is kept for this session only").arg(error));
    });
}

void ProfileStore::resolve(SecretStore *secrets, const QString &name, const QObject *context, ResolveCallback done)
{
    std::optional<ConnectionProfile> found = profile(name);
    if (!found) {
        const QString error = tr("No profile named \"%1\"").arg(name);
        QTimer::singleShot(0, context, [done, error] { done(std::nullopt, error); });
        return;
    }
    ConnectionProfile p = *found;
    const auto session = m_sessionTokens.constFind(p.name);
    if (!needsToken(p) || session != m_sessionTokens.constEnd()) {
        if (session != m_sessionTokens.constEnd())
            p.token = *session;
        QTimer::singleShot(0, context, [done, p] { done(p, QString()); });
        return;
    }
    const QString missing = tr("No token is stored for the profile \"%1\"").arg(p.name);
    if (!secrets || !rememberToken(p.name)) {
        QTimer::singleShot(0, context, [done, p, missing] { done(p, missing); });
        return;
    }
    secrets->read(p.name, context, [done, p, missing](const std::optional<QString> &secret, const QString &error) {
        ConnectionProfile withToken = p;
        if (secret && !secret->isEmpty()) {
            withToken.token = *secret;
            done(withToken, QString());
            return;
        }
        done(withToken, error.isEmpty() ? missing : error);
    });
}

void ProfileStore::load()
{
    m_profiles.clear();
    const QByteArray json = m_settings->value(Settings::ConnectionProfiles).toString().toUtf8();
    const QJsonArray array = QJsonDocument::fromJson(json).array();
    for (const QJsonValue &value : array) {
        const QJsonObject o = value.toObject();
        Stored s;
        s.profile.name = o.value(QLatin1String("name")).toString();
        if (s.profile.name.isEmpty() || isLocal(s.profile.name) || indexOf(s.profile.name) >= 0)
            continue;
        s.profile.serviceUrl = QUrl(o.value(QLatin1String("serviceUrl")).toString());
        s.profile.adminUrl = QUrl(o.value(QLatin1String("adminUrl")).toString());
        s.profile.authentication = methodFromName(o.value(QLatin1String("authentication")).toString());
        s.profile.clientCertificateFile = o.value(QLatin1String("clientCertificateFile")).toString();
        s.profile.clientKeyFile = o.value(QLatin1String("clientKeyFile")).toString();
        s.profile.caFile = o.value(QLatin1String("caFile")).toString();
        s.profile.allowInsecureTls = o.value(QLatin1String("allowInsecureTls")).toBool();
        s.rememberToken = o.value(QLatin1String("rememberToken")).toBool(true);
        m_profiles.append(s);
    }
}

void ProfileStore::persist()
{
    QJsonArray array;
    for (const Stored &s : m_profiles)
        array.append(toJson(s.profile, s.rememberToken));
    m_settings->setValue(Settings::ConnectionProfiles,
                         QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact)));
    m_settings->sync();
}

} // namespace Pulsar
