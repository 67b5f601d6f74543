#include "profiledialog.h"

#include "local/localservice.h"
#include "models/eventlog.h"
#include "secrets/secretstore.h"
#include "settings/profilestore.h"
#include "widgets/localservicewidget.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace Gui {

namespace {

using Pulsar::AuthenticationMethod;

bool needsToken(AuthenticationMethod method)
{
    return method == AuthenticationMethod::TokenHeader || method == AuthenticationMethod::TokenQuery;
}

// Parses what the user typed without guessing: QUrl's StrictMode refuses what is not a URL, and an empty field
// stays an empty URL (validate() names the problem).
QUrl urlFrom(const QString &text)
{
    const QString trimmed = text.trimmed();
    return trimmed.isEmpty() ? QUrl() : QUrl(trimmed, QUrl::StrictMode);
}

} // namespace

ProfileDialog::ProfileDialog(Pulsar::ProfileStore *store, Pulsar::SecretStore *secrets, Pulsar::LocalService *local,
                             EventLog *log, QWidget *parent)
    : QDialog(parent)
    , m_store(store)
    , m_secrets(secrets)
    , m_local(local)
    , m_log(log)
{
    setObjectName(QStringLiteral("profileDialog"));
    setWindowTitle(tr("Connection profiles"));
    setModal(false);
    m_test = new Pulsar::ConnectionTest(this);
    buildUi();
    connect(m_store, &Pulsar::ProfileStore::changed, this, &ProfileDialog::reloadList);
    connect(m_test, &Pulsar::ConnectionTest::progress, this, &ProfileDialog::onTestProgress);
    connect(m_test, &Pulsar::ConnectionTest::stepFinished, this, &ProfileDialog::onTestStep);
    connect(m_test, &Pulsar::ConnectionTest::finished, this, &ProfileDialog::onTestFinished);
    reloadList();
    selectProfile(Pulsar::ProfileStore::localName());
}

ProfileDialog::~ProfileDialog() = default;

void ProfileDialog::buildUi()
{
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("profileList"));
    m_list->setMinimumWidth(160);
    connect(m_list, &QListWidget::currentTextChanged, this, [this](const QString &name) {
        if (!m_loading && !name.isEmpty() && name != m_current)
            loadForm(name);
    });

    const auto lineEdit = [this](const char *name) {
        auto *edit = new QLineEdit(this);
        edit->setObjectName(QLatin1String(name));
        connect(edit, &QLineEdit::textChanged, this, &ProfileDialog::updateFormState);
        return edit;
    };
    m_name = lineEdit("profileName");
    m_serviceUrl = lineEdit("profileServiceUrl");
    m_serviceUrl->setPlaceholderText(tr("ws://host:8080 or wss://host:8443"));
    m_adminUrl = lineEdit("profileAdminUrl");
    m_auth = new QComboBox(this);
    m_auth->setObjectName(QStringLiteral("profileAuthentication"));
    m_auth->addItem(tr("None"), int(AuthenticationMethod::None));
    m_auth->addItem(tr("Token in header"), int(AuthenticationMethod::TokenHeader));
    m_auth->addItem(tr("Token in query"), int(AuthenticationMethod::TokenQuery));
    m_auth->addItem(tr("TLS client certificate"), int(AuthenticationMethod::TlsCertificate));
    connect(m_auth, &QComboBox::currentIndexChanged, this, &ProfileDialog::updateFormState);
    m_token = lineEdit("profileToken");
    m_token->setEchoMode(QLineEdit::Password);
    m_remember = new QCheckBox(tr("Remember in the system keychain"), this);
    m_remember->setObjectName(QStringLiteral("profileRememberToken"));
    m_remember->setToolTip(tr("When off, the token is kept in memory for this session only"));
    m_remember->setChecked(true);
    m_certFile = lineEdit("profileCertFile");
    m_keyFile = lineEdit("profileKeyFile");
    m_caFile = lineEdit("profileCaFile");
    const auto browse = [this](const char *name, QLineEdit *target, const QString &title) {
        auto *button = new QToolButton(this);
        button->setObjectName(QLatin1String(name));
        button->setText(tr("…"));
        connect(button, &QToolButton::clicked, this, [this, target, title] { pickFile(target, title); });
        return button;
    };
    m_certBrowse = browse("profileCertBrowse", m_certFile, tr("Client certificate (PEM)"));
    m_keyBrowse = browse("profileKeyBrowse", m_keyFile, tr("Client private key (PEM)"));
    m_caBrowse = browse("profileCaBrowse", m_caFile, tr("CA certificates (PEM)"));
    m_insecure = new QCheckBox(tr("Allow insecure TLS (accept any server certificate)"), this);
    m_insecure->setObjectName(QStringLiteral("profileAllowInsecureTls"));
    connect(m_insecure, &QCheckBox::toggled, this, &ProfileDialog::updateFormState);
    m_insecureWarning = new QLabel(tr("Warning: the server's identity is not checked. Anyone between you and the "
                                      "server can read and change the traffic, including the token."),
                                   this);
    m_insecureWarning->setObjectName(QStringLiteral("profileInsecureWarning"));
    m_insecureWarning->setWordWrap(true);
    m_insecureWarning->setStyleSheet(QStringLiteral("color: #b00020; font-weight: bold;"));
    m_validation = new QLabel(this);
    m_validation->setObjectName(QStringLiteral("profileValidation"));
    m_validation->setWordWrap(true);
    m_validation->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("profileStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    const auto withButton = [this](QLineEdit *edit, QToolButton *button) {
        auto *row = new QHBoxLayout;
        row->addWidget(edit);
        row->addWidget(button);
        return row;
    };
    auto *form = new QFormLayout;
    form->addRow(tr("Name:"), m_name);
    form->addRow(tr("Service URL:"), m_serviceUrl);
    form->addRow(tr("Admin URL:"), m_adminUrl);
    form->addRow(tr("Authentication:"), m_auth);
    form->addRow(tr("Token:"), m_token);
    form->addRow(QString(), m_remember);
    form->addRow(tr("Client certificate:"), withButton(m_certFile, m_certBrowse));
    form->addRow(tr("Client key:"), withButton(m_keyFile, m_keyBrowse));
    form->addRow(tr("CA file:"), withButton(m_caFile, m_caBrowse));
    form->addRow(QString(), m_insecure);
    form->addRow(QString(), m_insecureWarning);

    m_localWidget = new LocalServiceWidget(m_local, this);
    auto *localBox = new QGroupBox(tr("Local service"), this);
    localBox->setObjectName(QStringLiteral("profileLocalBox"));
    auto *localLayout = new QVBoxLayout(localBox);
    localLayout->addWidget(m_localWidget);

    const auto button = [this](const QString &text, const char *name) {
        auto *b = new QPushButton(text, this);
        b->setObjectName(QLatin1String(name));
        b->setAutoDefault(false);
        return b;
    };
    m_new = button(tr("New"), "profileNew");
    m_save = button(tr("Save"), "profileSave");
    m_delete = button(tr("Delete"), "profileDelete");
    m_duplicate = button(tr("Duplicate"), "profileDuplicate");
    m_testButton = button(tr("Test connection"), "profileTest");
    m_cancelTest = button(tr("Cancel test"), "profileTestCancel");
    m_connect = button(tr("Connect"), "profileConnect");
    connect(m_new, &QPushButton::clicked, this, &ProfileDialog::newProfile);
    connect(m_save, &QPushButton::clicked, this, &ProfileDialog::save);
    connect(m_delete, &QPushButton::clicked, this, &ProfileDialog::removeCurrent);
    connect(m_duplicate, &QPushButton::clicked, this, &ProfileDialog::duplicate);
    connect(m_testButton, &QPushButton::clicked, this, &ProfileDialog::testConnection);
    connect(m_cancelTest, &QPushButton::clicked, m_test, &Pulsar::ConnectionTest::cancel);
    connect(m_connect, &QPushButton::clicked, this, &ProfileDialog::connectProfile);

    m_testProgress = new QLabel(this);
    m_testProgress->setObjectName(QStringLiteral("profileTestProgress"));
    m_testProgress->setWordWrap(true);
    m_testAdmin = new QLabel(this);
    m_testAdmin->setObjectName(QStringLiteral("profileTestAdminResult"));
    m_testAdmin->setWordWrap(true);
    m_testAdmin->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_testWebSocket = new QLabel(this);
    m_testWebSocket->setObjectName(QStringLiteral("profileTestWebSocketResult"));
    m_testWebSocket->setWordWrap(true);
    m_testWebSocket->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *editButtons = new QHBoxLayout;
    editButtons->addWidget(m_new);
    editButtons->addWidget(m_save);
    editButtons->addWidget(m_duplicate);
    editButtons->addWidget(m_delete);
    editButtons->addStretch();
    auto *testButtons = new QHBoxLayout;
    testButtons->addWidget(m_testButton);
    testButtons->addWidget(m_cancelTest);
    testButtons->addStretch();
    testButtons->addWidget(m_connect);

    auto *right = new QVBoxLayout;
    right->addLayout(form);
    right->addWidget(m_validation);
    right->addWidget(localBox);
    right->addLayout(editButtons);
    right->addWidget(m_status);
    right->addLayout(testButtons);
    right->addWidget(m_testProgress);
    right->addWidget(m_testAdmin);
    right->addWidget(m_testWebSocket);
    right->addStretch();

    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    close->setObjectName(QStringLiteral("profileClose"));
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *top = new QHBoxLayout;
    top->addWidget(m_list);
    top->addLayout(right, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(close);

    if (m_local)
        connect(m_local, &Pulsar::LocalService::stateChanged, this, [this] {
            if (isLocalSelected())
                loadForm(Pulsar::ProfileStore::localName());
        });
}

bool ProfileDialog::isLocalSelected() const
{
    return Pulsar::ProfileStore::isLocal(m_current);
}

void ProfileDialog::reloadList()
{
    m_loading = true;
    m_list->clear();
    const QStringList names = m_store->names();
    m_list->addItems(names);
    const auto found = m_list->findItems(m_current, Qt::MatchExactly);
    if (!found.isEmpty())
        m_list->setCurrentItem(found.first());
    m_loading = false;
}

void ProfileDialog::selectProfile(const QString &name)
{
    loadForm(m_store->contains(name) ? name : Pulsar::ProfileStore::localName());
}

void ProfileDialog::loadForm(const QString &name)
{
    const auto profile = m_store->profile(name);
    if (!profile)
        return;
    m_loading = true;
    m_current = profile->name;
    const auto found = m_list->findItems(m_current, Qt::MatchExactly);
    if (!found.isEmpty())
        m_list->setCurrentItem(found.first());
    m_name->setText(profile->name);
    m_serviceUrl->setText(profile->serviceUrl.toString());
    m_adminUrl->setText(isLocalSelected() ? QString() : profile->adminUrl.toString());
    m_auth->setCurrentIndex(qMax(0, m_auth->findData(int(profile->authentication))));
    m_token->clear();
    m_remember->setChecked(isLocalSelected() || m_store->rememberToken(profile->name));
    m_certFile->setText(profile->clientCertificateFile);
    m_keyFile->setText(profile->clientKeyFile);
    m_caFile->setText(profile->caFile);
    m_insecure->setChecked(profile->allowInsecureTls);
    m_loading = false;
    m_status->clear();
    updateFormState();
}

Pulsar::ConnectionProfile ProfileDialog::formProfile() const
{
    if (isLocalSelected())
        return m_local ? m_local->localProfile() : *m_store->profile(Pulsar::ProfileStore::localName());
    Pulsar::ConnectionProfile p;
    p.name = m_name->text();
    p.serviceUrl = urlFrom(m_serviceUrl->text());
    p.adminUrl = urlFrom(m_adminUrl->text());
    p.authentication = AuthenticationMethod(m_auth->currentData().toInt());
    p.token = needsToken(p.authentication) ? m_token->text() : QString();
    if (p.authentication == AuthenticationMethod::TlsCertificate) {
        p.clientCertificateFile = m_certFile->text().trimmed();
        p.clientKeyFile = m_keyFile->text().trimmed();
    }
    p.caFile = m_caFile->text().trimmed();
    p.allowInsecureTls = m_insecure->isChecked();
    return p;
}

void ProfileDialog::updateFormState()
{
    if (m_loading)
        return;
    const bool local = isLocalSelected();
    const auto method = AuthenticationMethod(m_auth->currentData().toInt());
    const bool editable = !local;
    for (QLineEdit *edit : {m_name, m_serviceUrl, m_adminUrl, m_token, m_certFile, m_keyFile, m_caFile})
        edit->setReadOnly(!editable);
    m_auth->setEnabled(editable);
    m_remember->setEnabled(editable && needsToken(method));
    m_token->setEnabled(editable && needsToken(method));
    const bool tls = method == AuthenticationMethod::TlsCertificate;
    for (QWidget *w : std::initializer_list<QWidget *>{m_certFile, m_keyFile, m_certBrowse, m_keyBrowse})
        w->setEnabled(editable && tls);
    m_caFile->setEnabled(editable);
    m_caBrowse->setEnabled(editable);
    m_insecure->setEnabled(editable);
    m_insecureWarning->setVisible(m_insecure->isChecked());
    if (local)
        m_token->setPlaceholderText(QString());
    else if (!m_current.isEmpty() && m_store->hasSessionToken(m_current))
        m_token->setPlaceholderText(tr("Kept for this session; type to replace"));
    else if (!m_current.isEmpty() && m_store->rememberToken(m_current))
        m_token->setPlaceholderText(tr("Stored in the keychain if saved before; type to replace"));
    else
        m_token->setPlaceholderText(QString());
    const Pulsar::ConnectionProfile p = formProfile();
    const QUrl effectiveAdmin = p.serviceUrl.isValid() ? p.effectiveAdminUrl() : QUrl();
    m_adminUrl->setPlaceholderText(effectiveAdmin.isEmpty() ? tr("http://host:8080 (from the service URL)")
                                                            : effectiveAdmin.toString());
    m_localWidget->parentWidget()->setVisible(local);
    m_save->setEnabled(editable);
    m_delete->setEnabled(editable && !m_current.isEmpty());
    m_duplicate->setEnabled(true);
    m_cancelTest->setEnabled(m_test->isRunning());
    m_testButton->setEnabled(!m_test->isRunning());
    validateForm();
}

void ProfileDialog::validateForm()
{
    if (isLocalSelected()) {
        m_validation->clear();
        m_validation->hide();
        return;
    }
    const QString error = m_store->validationError(formProfile(), m_current);
    m_validation->setText(error);
    m_validation->setVisible(!error.isEmpty());
}

void ProfileDialog::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
    if (error && m_log)
        m_log->error(tr("Connection profiles"), text);
}

void ProfileDialog::save()
{
    if (isLocalSelected())
        return;
    const Pulsar::ConnectionProfile p = formProfile();
    const QString error = m_store->validationError(p, m_current);
    if (!error.isEmpty()) {
        m_validation->setText(error);
        m_validation->show();
        setStatus(tr("Not saved: %1").arg(error), false);
        return;
    }
    const bool wasRemembered = !m_current.isEmpty() && m_store->rememberToken(m_current);
    if (!m_current.isEmpty() && m_current != p.name) {
        const QString renameError = m_store->rename(m_current, p.name, m_secrets);
        if (!renameError.isEmpty()) {
            setStatus(tr("Not saved: %1").arg(renameError), false);
            return;
        }
    }
    const bool remember = m_remember->isChecked();
    const QString saveError = m_store->save(p, remember);
    if (!saveError.isEmpty()) {
        setStatus(tr("Not saved: %1").arg(saveError), false);
        return;
    }
    m_current = p.name;
    reloadList();
    setStatus(tr("Saved \"%1\"").arg(p.name), false);
    if (m_log)
        m_log->info(tr("Connection profiles"), tr("Saved the profile \"%1\"").arg(p.name));
    const QString name = p.name;
    if (needsToken(p.authentication) && !p.token.isEmpty()) {
        m_token->clear();
        m_store->storeToken(m_secrets, name, p.token, remember, this, [this, name, remember](const QString &e) {
            if (!e.isEmpty())
                setStatus(e, true);
            else
                setStatus(remember ? tr("Saved \"%1\"; the token is in the system keychain").arg(name)
                                   : tr("Saved \"%1\"; the token is kept for this session only").arg(name),
                          false);
            updateFormState();
        });
    } else if ((wasRemembered && !remember) || !needsToken(p.authentication)) {
        // No token typed: a token remembered before must leave the keychain when remembering was turned off or
        // the profile no longer uses one.
        if (m_secrets)
            m_secrets->remove(name, this, [](const QString &) {});
    }
    updateFormState();
}

void ProfileDialog::removeCurrent()
{
    if (isLocalSelected() || m_current.isEmpty())
        return;
    const QString name = m_current;
    if (m_store->remove(name, m_secrets)) {
        if (m_log)
            m_log->info(tr("Connection profiles"), tr("Deleted the profile \"%1\"").arg(name));
        selectProfile(Pulsar::ProfileStore::localName());
        setStatus(tr("Deleted \"%1\"").arg(name), false);
    }
}

void ProfileDialog::duplicate()
{
    Pulsar::ConnectionProfile p = formProfile();
    const QString base = isLocalSelected() ? tr("Local copy") : tr("%1 copy").arg(p.name);
    QString name = base;
    for (int i = 2; m_store->contains(name); ++i)
        name = tr("%1 %2").arg(base).arg(i);
    m_loading = true;
    m_current.clear();
    m_list->clearSelection();
    m_name->setText(name);
    m_serviceUrl->setText(p.serviceUrl.toString());
    m_adminUrl->setText(p.adminUrl.toString());
    m_auth->setCurrentIndex(qMax(0, m_auth->findData(int(p.authentication))));
    m_token->setText(p.token);
    m_certFile->setText(p.clientCertificateFile);
    m_keyFile->setText(p.clientKeyFile);
    m_caFile->setText(p.caFile);
    m_insecure->setChecked(p.allowInsecureTls);
    m_loading = false;
    setStatus(tr("A copy, not saved yet"), false);
    updateFormState();
}

void ProfileDialog::newProfile()
{
    m_loading = true;
    m_current.clear();
    m_list->clearSelection();
    for (QLineEdit *edit : {m_name, m_serviceUrl, m_adminUrl, m_token, m_certFile, m_keyFile, m_caFile})
        edit->clear();
    m_auth->setCurrentIndex(0);
    m_remember->setChecked(true);
    m_insecure->setChecked(false);
    m_loading = false;
    m_status->clear();
    updateFormState();
}

void ProfileDialog::withToken(std::function<void(const Pulsar::ConnectionProfile &, const QString &)> then)
{
    const Pulsar::ConnectionProfile p = formProfile();
    if (!needsToken(p.authentication) || !p.token.isEmpty() || m_current.isEmpty() || isLocalSelected()) {
        then(p, QString());
        return;
    }
    // The token field is empty: use the token the store has for this profile (session memory or keychain), with
    // the form's other fields as they are now.
    m_store->resolve(m_secrets, m_current, this,
                     [p, then](const std::optional<Pulsar::ConnectionProfile> &stored, const QString &error) {
                         Pulsar::ConnectionProfile withStoredToken = p;
                         if (stored)
                             withStoredToken.token = stored->token;
                         then(withStoredToken, error);
                     });
}

void ProfileDialog::testConnection()
{
    m_testAdmin->clear();
    m_testWebSocket->clear();
    m_testProgress->setText(tr("Preparing the test…"));
    m_testButton->setEnabled(false);
    m_cancelTest->setEnabled(true);
    withToken([this](const Pulsar::ConnectionProfile &p, const QString &) {
        m_test->start(p);
        updateFormState();
    });
}

void ProfileDialog::onTestProgress(Pulsar::ConnectionTest::Step, const QString &text)
{
    m_testProgress->setText(text);
}

void ProfileDialog::onTestStep(Pulsar::ConnectionTest::Step step, const Pulsar::ConnectionTest::StepResult &result)
{
    using Status = Pulsar::ConnectionTest::Status;
    QLabel *label = step == Pulsar::ConnectionTest::Step::Admin ? m_testAdmin : m_testWebSocket;
    const bool ok = result.status == Status::Ok;
    label->setText((ok ? tr("✔ %1: %2") : tr("✘ %1: %2")).arg(Pulsar::ConnectionTest::stepName(step), result.text));
    label->setStyleSheet(ok ? QStringLiteral("color: #1b5e20;") : QStringLiteral("color: #b00020;"));
}

void ProfileDialog::onTestFinished(const Pulsar::ConnectionTest::Result &result)
{
    using Status = Pulsar::ConnectionTest::Status;
    if (result.cancelled()) {
        m_testProgress->setText(tr("Test cancelled"));
        if (result.admin.status == Status::Cancelled)
            m_testAdmin->clear();
        if (result.webSocket.status == Status::Cancelled)
            m_testWebSocket->clear();
    } else if (result.ok()) {
        m_testProgress->setText(tr("Connection test passed"));
    } else {
        m_testProgress->setText(tr("Connection test failed"));
        if (m_log) {
            const QString source = tr("Test connection %1").arg(m_name->text());
            if (result.admin.status != Status::Ok)
                m_log->warning(source, result.admin.text);
            if (result.webSocket.status != Status::Ok)
                m_log->warning(source, result.webSocket.text);
        }
    }
    updateFormState();
}

void ProfileDialog::connectProfile()
{
    withToken([this](const Pulsar::ConnectionProfile &p, const QString &) {
        if (const auto invalid = p.validate()) {
            setStatus(tr("Cannot connect: %1").arg(invalid->text()), true);
            return;
        }
        Q_EMIT connectRequested(p);
    });
}

void ProfileDialog::pickFile(QLineEdit *target, const QString &title)
{
    // A non-modal file dialog: no exec() anywhere in this dialog's code paths.
    auto *picker = new QFileDialog(this, title, target->text(), tr("PEM files (*.pem *.crt *.key);;All files (*)"));
    picker->setObjectName(QStringLiteral("profileFilePicker"));
    picker->setAttribute(Qt::WA_DeleteOnClose);
    picker->setFileMode(QFileDialog::ExistingFile);
    connect(picker, &QFileDialog::fileSelected, target, &QLineEdit::setText);
    picker->open();
}

} // namespace Gui
