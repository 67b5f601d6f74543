#pragma once

#include "client/connectionprofile.h"
#include "client/connectiontest.h"

#include <QDialog>
#include <QPointer>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QToolButton;

namespace Pulsar {
class LocalService;
class ProfileStore;
class SecretStore;
} // namespace Pulsar

namespace Gui {

class EventLog;
class LocalServiceWidget;

// The connection profile manager: the list of profiles (the built-in Local first) and a form to edit one: name,
// service and admin URLs, authentication, token (remembered in the system keychain or kept for this session), TLS
// files and "allow insecure TLS". Save, Delete, Duplicate, New, Test connection (two steps, their results inline,
// cancellable) and Connect, which emits connectRequested() with the profile and its token. For Local the form is
// read-only and the LocalServiceWidget starts and stops the service. Non-modal (show()/open()); every error shows in
// the dialog and goes to the EventLog, never in a message box. Tokens typed here are handed to the ProfileStore,
// which keeps them for the session, so the main window can connect later without the dialog
// (ProfileStore::resolve()).
class ProfileDialog final : public QDialog
{
    Q_OBJECT
public:
    ProfileDialog(Pulsar::ProfileStore *store, Pulsar::SecretStore *secrets, Pulsar::LocalService *local, EventLog *log,
                  QWidget *parent = nullptr);
    ~ProfileDialog() override;

    // Shows the profile in the form (Local when name is unknown).
    void selectProfile(const QString &name);
    // The profile the form edits; empty for a new, unsaved one.
    QString currentProfileName() const { return m_current; }
    // What the form holds now, token included.
    Pulsar::ConnectionProfile formProfile() const;

Q_SIGNALS:
    void connectRequested(const Pulsar::ConnectionProfile &profile);

private:
    void buildUi();
    void reloadList();
    void loadForm(const QString &name);
    void updateFormState();
    void validateForm();
    void save();
    void removeCurrent();
    void duplicate();
    void newProfile();
    void testConnection();
    void connectProfile();
    void onTestProgress(Pulsar::ConnectionTest::Step step, const QString &text);
    void onTestStep(Pulsar::ConnectionTest::Step step, const Pulsar::ConnectionTest::StepResult &result);
    void onTestFinished(const Pulsar::ConnectionTest::Result &result);
    // The form's profile with its token: the typed one, else the store's (session or keychain).
    void withToken(std::function<void(const Pulsar::ConnectionProfile &profile, const QString &error)> then);
    void pickFile(QLineEdit *target, const QString &title);
    void setStatus(const QString &text, bool error);
    bool isLocalSelected() const;

    Pulsar::ProfileStore *m_store;
    QPointer<Pulsar::SecretStore> m_secrets;
    QPointer<Pulsar::LocalService> m_local;
    QPointer<EventLog> m_log;
    Pulsar::ConnectionTest *m_test = nullptr;
    QString m_current; // the profile the form edits; empty: a new one
    bool m_loading = false;

    QListWidget *m_list = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_serviceUrl = nullptr;
    QLineEdit *m_adminUrl = nullptr;
    QComboBox *m_auth = nullptr;
    QLineEdit *m_token = nullptr;
    QCheckBox *m_remember = nullptr;
    QLineEdit *m_certFile = nullptr;
    QLineEdit *m_keyFile = nullptr;
    QLineEdit *m_caFile = nullptr;
    QToolButton *m_certBrowse = nullptr;
    QToolButton *m_keyBrowse = nullptr;
    QToolButton *m_caBrowse = nullptr;
    QCheckBox *m_insecure = nullptr;
    QLabel *m_insecureWarning = nullptr;
    QLabel *m_validation = nullptr;
    QLabel *m_status = nullptr;
    LocalServiceWidget *m_localWidget = nullptr;
    QPushButton *m_new = nullptr;
    QPushButton *m_save = nullptr;
    QPushButton *m_delete = nullptr;
    QPushButton *m_duplicate = nullptr;
    QPushButton *m_testButton = nullptr;
    QPushButton *m_cancelTest = nullptr;
    QPushButton *m_connect = nullptr;
    QLabel *m_testProgress = nullptr;
    QLabel *m_testAdmin = nullptr;
    QLabel *m_testWebSocket = nullptr;
};

} // namespace Gui
