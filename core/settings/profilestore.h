#pragma once

#include "client/connectionprofile.h"
#include "secrets/secretstore.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>
#include <optional>

namespace Pulsar {

class LocalService;
class Settings;

// The saved connection profiles: name, URLs, authentication method, TLS files and whether the token is remembered,
// kept in Settings as one JSON document WITHOUT the token, ever (tokens go to a SecretStore or stay in memory for
// the session; see settings.h for why). The built-in "Local" profile is not stored: it is always listed first, its
// URL comes from the LocalService at run time, and it cannot be saved over, deleted or renamed.
//
// It also holds the session's tokens: every token the user typed this session (remembered or not) stays in memory
// here, so that connecting again needs no keychain round trip and "session only" tokens survive the profile dialog
// closing. resolve() is how the main window gets a profile with its token, with or without the dialog.
class ProfileStore final : public QObject
{
    Q_OBJECT
public:
    using ResolveCallback =
        std::function<void(const std::optional<Pulsar::ConnectionProfile> &profile, const QString &error)>;

    explicit ProfileStore(Settings *settings, QObject *parent = nullptr);
    ~ProfileStore() override;

    static QString localName(); // "Local"
    static bool isLocal(const QString &name);

    // The Local profile follows this service's URL (and changed() is emitted when it moves). Without one, Local
    // points at 127.0.0.1 and the LocalServicePort setting.
    void setLocalService(LocalService *local);

    QStringList names() const;                                           // "Local" first
    QList<ConnectionProfile> profiles() const;                           // "Local" first; no tokens
    std::optional<ConnectionProfile> profile(const QString &name) const; // no token
    bool contains(const QString &name) const;
    bool rememberToken(const QString &name) const;

    // Why profile cannot be saved (empty name, a name taken by another profile, "Local", an invalid URL or TLS
    // file), or empty. originalName: the profile being edited, which may keep its own name. The token is not
    // checked here (it is not stored); resolve() reports a missing one.
    QString validationError(const ConnectionProfile &profile, const QString &originalName = QString()) const;
    // Inserts or updates (by name). Returns the validation error, or empty on success. The token is ignored.
    QString save(const ConnectionProfile &profile, bool remember = true);
    // False for Local and unknown names. With secrets, the profile's stored token is deleted too.
    bool remove(const QString &name, SecretStore *secrets = nullptr);
    // Returns the validation error, or empty. With secrets, a remembered token moves to the new name.
    QString rename(const QString &oldName, const QString &newName, SecretStore *secrets = nullptr);

    // Keeps token for the session and, when remember is on, also writes it to secrets. When the keychain fails the
    // token still works for the session and done() gets the keychain's text plus "the token is kept for this
    // session only". With remember off any token remembered earlier is deleted from secrets. An empty token
    // forgets the profile's token everywhere.
    void storeToken(SecretStore *secrets, const QString &name, const QString &token, bool remember,
                    const QObject *context, SecretStore::DoneCallback done);
    // The profile with its token: from the session memory, else (remembered profiles) from secrets. Always
    // answers later. profile is nullopt only for an unknown name; error is set when a token method has no token
    // (the profile comes without it, so the caller can ask for one).
    void resolve(SecretStore *secrets, const QString &name, const QObject *context, ResolveCallback done);

    bool hasSessionToken(const QString &name) const { return m_sessionTokens.contains(name); }

Q_SIGNALS:
    void changed();

private:
    struct Stored
    {
        ConnectionProfile profile;
        bool rememberToken = true;
    };

    int indexOf(const QString &name) const;
    void load();
    void persist();
    ConnectionProfile localProfile() const;

    Settings *m_settings;
    QPointer<LocalService> m_local;
    QList<Stored> m_profiles;
    QHash<QString, QString> m_sessionTokens;
};

} // namespace Pulsar
