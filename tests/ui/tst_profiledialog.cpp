#include "dialogs/profiledialog.h"
#include "local/localservice.h"
#include "models/eventlog.h"
#include "secrets/secretstore.h"
#include "settings/profilestore.h"
#include "settings/settings.h"

#include "proxyfixture.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Pulsar;

namespace {

const QString kToken = QStringLiteral("tok-SECRET-4711-do-not-write");

} // namespace

// The profile dialog offscreen, driven by object name: save with a token (keychain, never the settings file),
// session-only tokens, validation, Test connection against the bundled service, Connect, Delete, Local.
class tst_ProfileDialog final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void localIsFirstAndReadOnly();
    void saveStoresTokenInSecretStoreNotInFile();
    void sessionOnlyTokenReachesMainWindowWithoutDialog();
    void invalidUrlShowsValidationText();
    void insecureTlsShowsWarning();
    void testConnectionShowsSuccess();
    void testConnectionShowsRefusal();
    void connectEmitsProfileWithToken();
    void deleteAndDuplicate();

private:
    template<typename T>
    T *find(const char *name)
    {
        T *w = m_dialog->findChild<T *>(QLatin1String(name));
        if (!w)
            qFatal("no widget %s", name);
        return w;
    }
    void fillNewProfile(const QString &name, const QString &url, int authIndex, const QString &token, bool remember);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<ProfileStore> m_store;
    std::unique_ptr<MemorySecretStore> m_secrets;
    std::unique_ptr<LocalService> m_local;
    std::unique_ptr<Gui::EventLog> m_log;
    std::unique_ptr<Gui::ProfileDialog> m_dialog;
};

void tst_ProfileDialog::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_settings = std::make_unique<Settings>(m_dir->filePath(QStringLiteral("settings.ini")));
    m_settings->setValue(Settings::LocalServiceDataDir, m_dir->filePath(QStringLiteral("local")));
    m_store = std::make_unique<ProfileStore>(m_settings.get());
    m_secrets = std::make_unique<MemorySecretStore>();
    m_local = std::make_unique<LocalService>(m_settings.get());
    m_store->setLocalService(m_local.get());
    m_log = std::make_unique<Gui::EventLog>();
    m_dialog = std::make_unique<Gui::ProfileDialog>(m_store.get(), m_secrets.get(), m_local.get(), m_log.get());
    m_dialog->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_dialog.get()));
}

void tst_ProfileDialog::cleanup()
{
    m_dialog.reset();
    m_log.reset();
    m_local.reset();
    m_secrets.reset();
    m_store.reset();
    m_settings.reset();
    m_dir.reset();
}

void tst_ProfileDialog::fillNewProfile(const QString &name, const QString &url, int authIndex, const QString &token,
                                       bool remember)
{
    find<QPushButton>("profileNew")->click();
    QTest::keyClicks(find<QLineEdit>("profileName"), name);
    QTest::keyClicks(find<QLineEdit>("profileServiceUrl"), url);
    find<QComboBox>("profileAuthentication")->setCurrentIndex(authIndex);
    if (!token.isEmpty())
        QTest::keyClicks(find<QLineEdit>("profileToken"), token);
    find<QCheckBox>("profileRememberToken")->setChecked(remember);
}

void tst_ProfileDialog::localIsFirstAndReadOnly()
{
    auto *list = find<QListWidget>("profileList");
    QVERIFY(list->count() >= 1);
    QCOMPARE(list->item(0)->text(), QStringLiteral("Local"));
    QCOMPARE(m_dialog->currentProfileName(), QStringLiteral("Local"));
    QVERIFY(find<QLineEdit>("profileServiceUrl")->isReadOnly());
    QVERIFY(find<QLineEdit>("profileServiceUrl")->text().startsWith(QLatin1String("ws://127.0.0.1:")));
    QVERIFY(!find<QPushButton>("profileDelete")->isEnabled());
    QVERIFY(!find<QPushButton>("profileSave")->isEnabled());
    QVERIFY(find<QWidget>("localServiceWidget")->isVisible());
    QCOMPARE(find<QLabel>("localServiceState")->text(), QStringLiteral("Stopped"));
    QVERIFY(find<QLabel>("localServiceDataDir")->text().endsWith(QLatin1String("local")));
    QVERIFY(find<QPushButton>("localServiceStart")->isEnabled());
    QVERIFY(!find<QPushButton>("localServiceStop")->isEnabled());
}

void tst_ProfileDialog::saveStoresTokenInSecretStoreNotInFile()
{
    fillNewProfile(QStringLiteral("Staging"), QStringLiteral("ws://127.0.0.1:6650"), 1, kToken, true);
    QVERIFY(find<QLabel>("profileValidation")->text().isEmpty());
    find<QPushButton>("profileSave")->click();
    QVERIFY(m_store->contains(QStringLiteral("Staging")));
    QCOMPARE(m_store->profile(QStringLiteral("Staging"))->authentication, AuthenticationMethod::TokenHeader);
    QCOMPARE(m_store->profile(QStringLiteral("Staging"))->serviceUrl, QUrl(QStringLiteral("ws://127.0.0.1:6650")));
    QTRY_COMPARE(m_secrets->secret(QStringLiteral("Staging")), kToken);
    QTRY_VERIFY(find<QLabel>("profileStatus")->text().contains(QLatin1String("keychain")));
    auto *list = find<QListWidget>("profileList");
    QCOMPARE(list->count(), 2);
    QCOMPARE(list->item(1)->text(), QStringLiteral("Staging"));
    QCOMPARE(m_dialog->currentProfileName(), QStringLiteral("Staging"));
    // The token field was cleared and the settings file never saw it.
    QVERIFY(find<QLineEdit>("profileToken")->text().isEmpty());
    m_settings->sync();
    QFile file(m_settings->fileName());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(text.contains("Staging"));
    QVERIFY(!text.contains(kToken.toUtf8()));
    QVERIFY(!text.contains("SECRET"));
}

void tst_ProfileDialog::sessionOnlyTokenReachesMainWindowWithoutDialog()
{
    fillNewProfile(QStringLiteral("Session"), QStringLiteral("ws://127.0.0.1:6650"), 2, kToken, false);
    find<QPushButton>("profileSave")->click();
    QVERIFY(m_store->contains(QStringLiteral("Session")));
    QTRY_VERIFY(find<QLabel>("profileStatus")->text().contains(QLatin1String("session only")));
    QVERIFY(!m_secrets->contains(QStringLiteral("Session")));
    m_dialog.reset();
    // The main window's path: the store alone resolves the token.
    bool called = false;
    ConnectionProfile resolved;
    m_store->resolve(m_secrets.get(), QStringLiteral("Session"), this,
                     [&](const std::optional<ConnectionProfile> &p, const QString &error) {
                         called = true;
                         QVERIFY(error.isEmpty());
                         resolved = *p;
                     });
    QTRY_VERIFY(called);
    QCOMPARE(resolved.token, kToken);
    QCOMPARE(resolved.authentication, AuthenticationMethod::TokenQuery);
}

void tst_ProfileDialog::invalidUrlShowsValidationText()
{
    fillNewProfile(QStringLiteral("Broken"), QStringLiteral("not a url"), 0, QString(), true);
    auto *validation = find<QLabel>("profileValidation");
    QVERIFY(validation->isVisible());
    QVERIFY2(validation->text().contains(QLatin1String("The service URL must be")), qPrintable(validation->text()));
    find<QPushButton>("profileSave")->click();
    QVERIFY(!m_store->contains(QStringLiteral("Broken")));
    QVERIFY(find<QLabel>("profileStatus")->text().contains(QLatin1String("Not saved")));
    // Fixing the URL clears it.
    find<QLineEdit>("profileServiceUrl")->setText(QStringLiteral("wss://pulsar.example.com:8443"));
    QVERIFY(validation->text().isEmpty());
    QVERIFY(!validation->isVisible());
}

void tst_ProfileDialog::insecureTlsShowsWarning()
{
    find<QPushButton>("profileNew")->click();
    auto *warning = find<QLabel>("profileInsecureWarning");
    QVERIFY(!warning->isVisible());
    find<QCheckBox>("profileAllowInsecureTls")->setChecked(true);
    QVERIFY(warning->isVisible());
    QVERIFY(warning->text().contains(QLatin1String("not checked")));
}

void tst_ProfileDialog::testConnectionShowsSuccess()
{
    TestSupport::ProxyFixture proxy;
    fillNewProfile(QStringLiteral("Fixture"), proxy.wsBase(), 0, QString(), true);
    // The admin URL's placeholder shows the effective one.
    QCOMPARE(find<QLineEdit>("profileAdminUrl")->placeholderText(),
             QStringLiteral("http://127.0.0.1:") + QString::number(proxy.port()));
    find<QPushButton>("profileTest")->click();
    QVERIFY(find<QPushButton>("profileTestCancel")->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(find<QLabel>("profileTestProgress")->text().contains(QLatin1String("passed")), 20000);
    QVERIFY2(find<QLabel>("profileTestAdminResult")->text().contains(QLatin1String("healthy")),
             qPrintable(find<QLabel>("profileTestAdminResult")->text()));
    QVERIFY(find<QLabel>("profileTestWebSocketResult")->text().contains(QLatin1String("succeeded")));
    QVERIFY(!find<QPushButton>("profileTestCancel")->isEnabled());
    QVERIFY(find<QPushButton>("profileTest")->isEnabled());
}

void tst_ProfileDialog::testConnectionShowsRefusal()
{
    quint16 port = 0;
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        port = server.serverPort();
    }
    fillNewProfile(QStringLiteral("Nowhere"), QStringLiteral("ws://127.0.0.1:") + QString::number(port), 0, QString(),
                   true);
    const int logRows = m_log->rowCount();
    find<QPushButton>("profileTest")->click();
    QTRY_VERIFY_WITH_TIMEOUT(find<QLabel>("profileTestProgress")->text().contains(QLatin1String("failed")), 20000);
    QVERIFY(find<QLabel>("profileTestAdminResult")->text().contains(QLatin1String("refused"), Qt::CaseInsensitive));
    QVERIFY(find<QLabel>("profileTestWebSocketResult")->text().contains(QLatin1String("refused")));
    m_log->flush();
    QCOMPARE(m_log->rowCount(), logRows + 2);
}

void tst_ProfileDialog::connectEmitsProfileWithToken()
{
    fillNewProfile(QStringLiteral("Staging"), QStringLiteral("ws://127.0.0.1:6650"), 1, kToken, true);
    find<QPushButton>("profileSave")->click();
    QTRY_VERIFY(m_secrets->contains(QStringLiteral("Staging")));
    // Reopen the profile: the token field is empty, the token comes from the store.
    m_dialog->selectProfile(QStringLiteral("Local"));
    m_dialog->selectProfile(QStringLiteral("Staging"));
    QVERIFY(find<QLineEdit>("profileToken")->text().isEmpty());
    QSignalSpy spy(m_dialog.get(), &Gui::ProfileDialog::connectRequested);
    find<QPushButton>("profileConnect")->click();
    QTRY_COMPARE(spy.size(), 1);
    const auto profile = spy.first().at(0).value<ConnectionProfile>();
    QCOMPARE(profile.name, QStringLiteral("Staging"));
    QCOMPARE(profile.token, kToken);

    // Local connects too, with the local service's URL.
    m_dialog->selectProfile(QStringLiteral("Local"));
    find<QPushButton>("profileConnect")->click();
    QTRY_COMPARE(spy.size(), 2);
    QCOMPARE(spy.at(1).at(0).value<ConnectionProfile>().name, QStringLiteral("Local"));
}

void tst_ProfileDialog::deleteAndDuplicate()
{
    fillNewProfile(QStringLiteral("One"), QStringLiteral("ws://127.0.0.1:6650"), 1, kToken, true);
    find<QPushButton>("profileSave")->click();
    QTRY_VERIFY(m_secrets->contains(QStringLiteral("One")));
    find<QPushButton>("profileDuplicate")->click();
    QCOMPARE(find<QLineEdit>("profileName")->text(), QStringLiteral("One copy"));
    QVERIFY(m_dialog->currentProfileName().isEmpty());
    find<QPushButton>("profileSave")->click();
    QCOMPARE(m_store->names(),
             (QStringList{QStringLiteral("Local"), QStringLiteral("One"), QStringLiteral("One copy")}));
    QCOMPARE(m_store->profile(QStringLiteral("One copy"))->serviceUrl, QUrl(QStringLiteral("ws://127.0.0.1:6650")));

    m_dialog->selectProfile(QStringLiteral("One"));
    QVERIFY(find<QPushButton>("profileDelete")->isEnabled());
    find<QPushButton>("profileDelete")->click();
    QVERIFY(!m_store->contains(QStringLiteral("One")));
    QTRY_VERIFY(!m_secrets->contains(QStringLiteral("One")));
    QCOMPARE(m_dialog->currentProfileName(), QStringLiteral("Local"));
    QCOMPARE(find<QListWidget>("profileList")->count(), 2);
}

QTEST_MAIN(tst_ProfileDialog)
#include "tst_profiledialog.moc"
