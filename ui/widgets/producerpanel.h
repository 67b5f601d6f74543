#pragma once

#include "widgets/panel.h"

#include "client/producersession.h"
#include "models/payloadcodec.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <optional>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableView;
class QToolButton;

namespace Gui {

class PropertiesModel;
class SendResultModel;

// A producer on one topic: a form for every ProducerOptions field (the rare ones under "Advanced"),
// Connect/Disconnect with the channel state shown, a composer (payload as text, JSON, hex, base64 or a file; key;
// replication clusters; properties; event time; deliverAt/deliverAfter), Send (Ctrl+Enter), "Send N" at a rate, and the
// result of every send (pending, ok with its message id, failed with Pulsar's error).
//
// "Send N" runs on a timer in small batches and never outruns the session: it stops a batch when
// ProducerSession::canSend() is false (in-flight window and queue full) and goes on at the next tick, so the
// GUI thread never spins and the session's bounded queue is never refused. Progress counts finished sends
// (acked or failed), not written ones.
class ProducerPanel final : public Panel
{
    Q_OBJECT
public:
    ProducerPanel(const Pulsar::ConnectionProfile &profile, const Pulsar::TopicName &topic, EventLog *log,
                  QWidget *parent = nullptr);
    ~ProducerPanel() override;

    QString title() const override;
    QByteArray saveState() const override;
    void restoreState(const QByteArray &state) override;
    void shutdown() override;

    // Builds the options from the form and opens the producer (closing a previous one); a form error shows in
    // the status label and the event log instead.
    void connectProducer();
    void disconnectProducer();
    Pulsar::ProducerSession *session() const { return m_session; }

    // The settings the form describes, or nullopt with a translated reason in *error.
    std::optional<Pulsar::ProducerSettings> settingsFromForm(QString *error) const;
    // The message the composer describes (without the "now" event time, which is taken per send).
    std::optional<Pulsar::OutgoingMessage> messageFromForm(QString *error) const;
    // The replication clusters field: comma-separated cluster names, trimmed; an empty field is an empty list (the
    // message goes to the namespace's clusters). A blank name or one that is not a Pulsar cluster name gives
    // nullopt with a translated reason in *error.
    static std::optional<QStringList> replicationClustersFromText(const QString &text, QString *error);

    SendResultModel *results() const { return m_results; }
    PropertiesModel *properties() const { return m_properties; }
    bool isSendingMany() const { return m_bulk.active; }

    // Sends what the composer holds once (the Send button and Ctrl+Enter).
    void sendOnce();
    // Starts "Send N" with the count and rate of the form.
    void sendMany();
    void cancelSendMany();

private:
    struct Bulk
    {
        bool active = false;
        bool cancelled = false;
        int total = 0;
        int sent = 0;
        int finished = 0;
        int ok = 0;
        int failed = 0;
        int rate = 0; // msgs/s, 0 = as fast as the window allows
        QElapsedTimer clock;
        Pulsar::OutgoingMessage message;
        QSet<QString> contexts; // accepted and not finished yet: bounded by the session's capacity
    };

    void buildUi();
    QWidget *buildOptions();
    QWidget *buildComposer();
    QWidget *buildSendRow();
    void onStatusChanged(const Pulsar::ChannelStatus &status);
    void onSendFinished(const Pulsar::SendResult &result);
    void onPayloadModeChanged();
    void validatePayload();
    void prettyPrint();
    void browseFile();
    void addProperty();
    void removeSelectedProperties();
    void onBulkTick();
    void finishBulkIfDone();
    void updateProgress();
    // The composer's message when a send may start now (a session to send on, no "Send N" running); a form error
    // shows in the status label instead.
    std::optional<Pulsar::OutgoingMessage> messageToSend();
    bool submit(Pulsar::OutgoingMessage message, bool bulk);
    void releaseSession();
    void updateControls();
    void setStatus(const QString &text, bool error);
    void reportFailure(const QString &text);
    void flushFailures();
    bool isSessionUsable() const;
    PayloadMode payloadMode() const;

    QPointer<Pulsar::ProducerSession> m_session;
    PropertiesModel *m_properties = nullptr;
    SendResultModel *m_results = nullptr;

    QPushButton *m_connect = nullptr;
    QPushButton *m_disconnect = nullptr;
    QLabel *m_status = nullptr;

    QWidget *m_options = nullptr;
    QLineEdit *m_producerName = nullptr;
    QLineEdit *m_initialSequenceId = nullptr;
    QComboBox *m_hashingScheme = nullptr;
    QComboBox *m_routingMode = nullptr;
    QComboBox *m_compression = nullptr;
    QSpinBox *m_sendTimeout = nullptr;
    QCheckBox *m_batching = nullptr;
    QSpinBox *m_batchingMaxMessages = nullptr;
    QSpinBox *m_batchingMaxPublishDelay = nullptr;
    QSpinBox *m_maxPendingMessages = nullptr;
    QLineEdit *m_encryptionKeys = nullptr;
    QSpinBox *m_maxInFlight = nullptr;
    QComboBox *m_inFlightPolicy = nullptr;
    QToolButton *m_advancedToggle = nullptr;
    QWidget *m_advanced = nullptr;

    QComboBox *m_payloadMode = nullptr;
    QPlainTextEdit *m_payload = nullptr;
    QLabel *m_payloadError = nullptr;
    QPushButton *m_prettyPrint = nullptr;
    QWidget *m_fileRow = nullptr;
    QLineEdit *m_filePath = nullptr;
    QPushButton *m_browse = nullptr;
    QLineEdit *m_key = nullptr;
    QLineEdit *m_replicationClusters = nullptr;
    QTableView *m_propertiesView = nullptr;
    QPushButton *m_addProperty = nullptr;
    QPushButton *m_removeProperty = nullptr;
    QLabel *m_propertiesError = nullptr;
    QCheckBox *m_eventTime = nullptr;
    QCheckBox *m_eventTimeNow = nullptr;
    QDateTimeEdit *m_eventTimeEdit = nullptr;
    QSpinBox *m_deliverAfter = nullptr;
    QCheckBox *m_deliverAt = nullptr;
    QDateTimeEdit *m_deliverAtEdit = nullptr;

    QPushButton *m_send = nullptr;
    QSpinBox *m_sendCount = nullptr;
    QSpinBox *m_sendRate = nullptr;
    QPushButton *m_sendMany = nullptr;
    QPushButton *m_cancelSend = nullptr;
    QProgressBar *m_progress = nullptr;
    QTableView *m_resultsView = nullptr;
    QPushButton *m_clearResults = nullptr;

    bool m_payloadValid = true;
    QTimer m_validateTimer;
    Bulk m_bulk;
    QTimer m_bulkTimer;
    int m_failureCount = 0;
    QString m_lastFailure;
    QTimer m_failureTimer;
};

} // namespace Gui
