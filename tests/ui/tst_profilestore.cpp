#include "secrets/secretstore.h"
#include "settings/profilestore.h"
#include "settings/settings.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace Pulsar;

namespace {

const QString kToken = QStringLiteral("eyJhbGciOiJIUzI1NiJ9.SECRET-token-value.sig");

// A keychain that is never there: every call fails the way QtKeychain does without a Secret Service.
class UnavailableSecretStore final : public SecretStore
{
public:
    void read(const QString &, const QObject *context, ReadCallback callback) override
    {
        QTimer::singleShot(0, context, [callback] { callback(std::nullopt, QStringLiteral("no keychain here")); });
    }
    void write(const QString &, const QString &, const QObject *context, DoneCallback callback) override
    {
        ++writes;
        QTimer::singleShot(0, context, [callback] { callback(QStringLiteral("no keychain here")); });
    }
    void remove(const QString &, const QObject *context, DoneCallback callback) override
    {
        QTimer::singleShot(0, context, [callback] { callback(QStringLiteral("no keychain here")); });
    }
    int writes = 0;
};

ConnectionProfile staging()
{
    ConnectionProfile p;
    p.name = QStringLiteral("Staging");
    p.serviceUrl = QUrl(QStringLiteral("wss://pulsar.example.com:8443/ws-prefix"));
    p.adminUrl = QUrl(QStringLiteral("https://admin.example.com:8443"));
    p.authentication = AuthenticationMethod::TokenHeader;
    p.token = kToken;
    p.allowInsecureTls = true;
    return p;
}

QByteArray fileText(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

struct Resolved
{
    bool called = false;
    std::optional<ConnectionProfile> profile;
    QString error;
};

} // namespace

// ProfileStore: round trip through the settings file, unique names, the built-in Local profile, tokens never in the
// file, and resolve() from the session memory and the secret store.
class tst_ProfileStore final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void localIsAlwaysFirst();
    void roundTrip();
    void uniqueNames_data();
    void uniqueNames();
    void localCannotBeChanged();
    void validation();
    void removeAndRename();
    void settingsFileNeverHoldsTheToken();
    void resolveFromKeychain();
    void resolveFromSessionOnly();
    void resolveReportsMissingToken();
    void keychainFailureKeepsTokenForSession();

private:
    Resolved resolve(ProfileStore &store, SecretStore *secrets, const QString &name);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_file;
};

void tst_ProfileStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_file = m_dir->filePath(QStringLiteral("settings.ini"));
}

Resolved tst_ProfileStore::resolve(ProfileStore &store, SecretStore *secrets, const QString &name)
{
    auto out = std::make_shared<Resolved>();
    store.resolve(secrets, name, this, [out](const std::optional<ConnectionProfile> &p, const QString &error) {
        out->called = true;
        out->profile = p;
        out->error = error;
    });
    // Always later, never inside the call.
    if (out->called)
        qFatal("resolve() answered inside the call");
    if (!QTest::qWaitFor([out] { return out->called; }, 5000))
        qWarning("resolve() did not answer");
    return *out;
}

void tst_ProfileStore::localIsAlwaysFirst()
{
    Settings settings(m_file);
    settings.setValue(Settings::LocalServicePort, 18080);
    ProfileStore store(&settings);
    QCOMPARE(store.names(), QStringList{QStringLiteral("Local")});
    QVERIFY(store.save(staging()).isEmpty());
    ConnectionProfile other = staging();
    other.name = QStringLiteral("Another");
    QVERIFY(store.save(other).isEmpty());
    QCOMPARE(store.names(),
             (QStringList{QStringLiteral("Local"), QStringLiteral("Staging"), QStringLiteral("Another")}));
    const QList<ConnectionProfile> all = store.profiles();
    QCOMPARE(all.size(), 3);
    QCOMPARE(all.first().name, QStringLiteral("Local"));
    // Without a LocalService, Local follows the port setting.
    QCOMPARE(all.first().serviceUrl, QUrl(QStringLiteral("ws://127.0.0.1:18080")));
    QVERIFY(store.contains(QStringLiteral("local")));
}

void tst_ProfileStore::roundTrip()
{
    {
        Settings settings(m_file);
        ProfileStore store(&settings);
        QSignalSpy changed(&store, &ProfileStore::changed);
        ConnectionProfile p = staging();
        p.caFile.clear();
        QVERIFY(store.save(p, false).isEmpty());
        ConnectionProfile plain;
        plain.name = QStringLiteral("Plain");
        plain.serviceUrl = QUrl(QStringLiteral("ws://127.0.0.1:8080"));
        QVERIFY(store.save(plain).isEmpty());
        QCOMPARE(changed.size(), 2);
    }
    Settings settings(m_file);
    ProfileStore store(&settings);
    const auto p = store.profile(QStringLiteral("Staging"));
    QVERIFY(p);
    QCOMPARE(p->serviceUrl, staging().serviceUrl);
    QCOMPARE(p->adminUrl, staging().adminUrl);
    QCOMPARE(p->authentication, AuthenticationMethod::TokenHeader);
    QCOMPARE(p->allowInsecureTls, true);
    QVERIFY(p->token.isEmpty());
    QCOMPARE(store.rememberToken(QStringLiteral("Staging")), false);
    QCOMPARE(store.rememberToken(QStringLiteral("Plain")), true);
    QCOMPARE(store.profile(QStringLiteral("Plain"))->authentication, AuthenticationMethod::None);
    QCOMPARE(store.names().size(), 3);
}

void tst_ProfileStore::uniqueNames_data()
{
    QTest::addColumn<QString>("second");
    QTest::addRow("same") << QStringLiteral("Staging");
    QTest::addRow("case differs") << QStringLiteral("STAGING");
}

void tst_ProfileStore::uniqueNames()
{
    QFETCH(QString, second);
    Settings settings(m_file);
    ProfileStore store(&settings);
    QVERIFY(store.save(staging()).isEmpty());
    ConnectionProfile other = staging();
    other.name = QStringLiteral("Other");
    QVERIFY(store.save(other).isEmpty());
    // Renaming onto a taken name is refused; saving under an existing name updates it.
    QVERIFY(store.rename(QStringLiteral("Other"), second).contains(QLatin1String("already exists")));
    other.name = second;
    other.allowInsecureTls = false;
    QVERIFY(store.save(other).isEmpty());
    QCOMPARE(store.names().size(), 3);
    QCOMPARE(store.profile(QStringLiteral("Staging"))->allowInsecureTls, false);
}

void tst_ProfileStore::localCannotBeChanged()
{
    Settings settings(m_file);
    ProfileStore store(&settings);
    QVERIFY(!store.remove(QStringLiteral("Local")));
    QVERIFY(!store.rename(QStringLiteral("Local"), QStringLiteral("Mine")).isEmpty());
    ConnectionProfile local = staging();
    local.name = QStringLiteral("Local");
    QVERIFY(store.save(local).contains(QLatin1String("built-in")));
    QVERIFY(store.save(staging()).isEmpty());
    QVERIFY(!store.rename(QStringLiteral("Staging"), QStringLiteral("local")).isEmpty());
    QCOMPARE(store.names(), (QStringList{QStringLiteral("Local"), QStringLiteral("Staging")}));
}

void tst_ProfileStore::validation()
{
    Settings settings(m_file);
    ProfileStore store(&settings);
    ConnectionProfile p = staging();
    p.serviceUrl = QUrl(QStringLiteral("ftp://example.com"));
    QVERIFY(store.save(p).contains(QLatin1String("service URL")));
    p = staging();
    p.name = QString();
    QVERIFY(store.save(p).contains(QLatin1String("name")));
    p = staging();
    p.name = QStringLiteral(" padded ");
    QVERIFY(!store.save(p).isEmpty());
    p = staging();
    p.token.clear(); // not stored, so not required to save
    QVERIFY(store.save(p).isEmpty());
    QCOMPARE(store.names().size(), 2);
}

void tst_ProfileStore::removeAndRename()
{
    Settings settings(m_file);
    ProfileStore store(&settings);
    MemorySecretStore secrets;
    QVERIFY(store.save(staging()).isEmpty());
    bool stored = false;
    store.storeToken(&secrets, QStringLiteral("Staging"), kToken, true, this, [&](const QString &e) {
        QVERIFY(e.isEmpty());
        stored = true;
    });
    QTRY_VERIFY(stored);
    QCOMPARE(secrets.secret(QStringLiteral("Staging")), kToken);

    QVERIFY(store.rename(QStringLiteral("Staging"), QStringLiteral("Production"), &secrets).isEmpty());
    QCOMPARE(store.names(), (QStringList{QStringLiteral("Local"), QStringLiteral("Production")}));
    QTRY_COMPARE(secrets.secret(QStringLiteral("Production")), kToken);
    QTRY_VERIFY(!secrets.contains(QStringLiteral("Staging")));
    QVERIFY(store.hasSessionToken(QStringLiteral("Production")));

    QVERIFY(store.remove(QStringLiteral("Production"), &secrets));
    QVERIFY(!store.contains(QStringLiteral("Production")));
    QTRY_VERIFY(!secrets.contains(QStringLiteral("Production")));
    QVERIFY(!store.hasSessionToken(QStringLiteral("Production")));
    QVERIFY(!store.remove(QStringLiteral("Production")));
}

void tst_ProfileStore::settingsFileNeverHoldsTheToken()
{
    {
        Settings settings(m_file);
        ProfileStore store(&settings);
        MemorySecretStore secrets;
        // Even a profile handed in with its token is written without it.
        QVERIFY(store.save(staging()).isEmpty());
        ConnectionProfile query = staging();
        query.name = QStringLiteral("Query");
        query.authentication = AuthenticationMethod::TokenQuery;
        QVERIFY(store.save(query, false).isEmpty());
        bool done = false;
        store.storeToken(&secrets, QStringLiteral("Staging"), kToken, true, this,
                         [&](const QString &) { done = true; });
        QTRY_VERIFY(done);
        done = false;
        store.storeToken(&secrets, QStringLiteral("Query"), kToken, false, this, [&](const QString &) { done = true; });
        QTRY_VERIFY(done);
        QVERIFY(store.rename(QStringLiteral("Query"), QStringLiteral("Query2"), &secrets).isEmpty());
        settings.sync();
        // Session-only: not in the secret store either.
        QVERIFY(!secrets.contains(QStringLiteral("Query2")));
        QCOMPARE(secrets.secret(QStringLiteral("Staging")), kToken);
    }
    const QByteArray text = fileText(m_file);
    QVERIFY(text.contains("Staging"));
    QVERIFY(text.contains("Query2"));
    QVERIFY(!text.contains(kToken.toUtf8()));
    QVERIFY(!text.contains("SECRET"));
    QVERIFY(!text.toLower().contains("\"token\""));
}

void tst_ProfileStore::resolveFromKeychain()
{
    MemorySecretStore secrets;
    {
        Settings settings(m_file);
        ProfileStore store(&settings);
        QVERIFY(store.save(staging()).isEmpty());
        bool done = false;
        store.storeToken(&secrets, QStringLiteral("Staging"), kToken, true, this,
                         [&](const QString &) { done = true; });
        QTRY_VERIFY(done);
    }
    // A new session: no session memory, the token comes from the secret store.
    Settings settings(m_file);
    ProfileStore store(&settings);
    QVERIFY(!store.hasSessionToken(QStringLiteral("Staging")));
    const Resolved r = resolve(store, &secrets, QStringLiteral("Staging"));
    QVERIFY(r.profile);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(r.profile->token, kToken);
    QCOMPARE(r.profile->serviceUrl, staging().serviceUrl);

    const Resolved local = resolve(store, &secrets, QStringLiteral("Local"));
    QVERIFY(local.profile);
    QVERIFY(local.error.isEmpty());
    QCOMPARE(local.profile->name, QStringLiteral("Local"));

    const Resolved unknown = resolve(store, &secrets, QStringLiteral("Nope"));
    QVERIFY(unknown.called);
    QVERIFY(!unknown.profile);
    QVERIFY(unknown.error.contains(QLatin1String("Nope")));
}

void tst_ProfileStore::resolveFromSessionOnly()
{
    Settings settings(m_file);
    ProfileStore store(&settings);
    MemorySecretStore secrets;
    QVERIFY(store.save(staging(), false).isEmpty());
    bool done = false;
    store.storeToken(&secrets, QStringLiteral("Staging"), kToken, false, this, [&](const QString &) { done = true; });
    QTRY_VERIFY(done);
    QCOMPARE(secrets.size(), 0);
    const Resolved r = resolve(store, &secrets, QStringLiteral("Staging"));
    QVERIFY(r.error.isEmpty());
    QCOMPARE(r.profile->token, kToken);
}

void tst_ProfileStore::resolveReportsMissingToken()
{
    Settings settings(m_file);
    ProfileStore store(&settings);
    MemorySecretStore secrets;
    QVERIFY(store.save(staging()).isEmpty());
    const Resolved r = resolve(store, &secrets, QStringLiteral("Staging"));
    QVERIFY(r.profile);
    QVERIFY(r.profile->token.isEmpty());
    QVERIFY(r.error.contains(QLatin1String("No token")));
}

void tst_ProfileStore::keychainFailureKeepsTokenForSession()
{
    Settings settings(m_file);
    ProfileStore store(&settings);
    UnavailableSecretStore keychain;
    QVERIFY(store.save(staging()).isEmpty());
    QString error;
    bool done = false;
    store.storeToken(&keychain, QStringLiteral("Staging"), kToken, true, this, [&](const QString &e) {
        error = e;
        done = true;
    });
    QTRY_VERIFY(done);
    QCOMPARE(keychain.writes, 1);
    QVERIFY(error.contains(QLatin1String("no keychain here")));
    QVERIFY(error.contains(QLatin1String("the token is kept for this session only")));
    QVERIFY(!error.contains(kToken));
    const Resolved r = resolve(store, &keychain, QStringLiteral("Staging"));
    QVERIFY(r.error.isEmpty());
    QCOMPARE(r.profile->token, kToken);
}

QTEST_GUILESS_MAIN(tst_ProfileStore)
#include "tst_profilestore.moc"
