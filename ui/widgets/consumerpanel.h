#pragma once

#include "widgets/streampanel.h"

#include "client/consumersession.h"

#include <QPointer>
#include <QStringList>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace Gui {

// A consumer of one subscription on one topic: a form for every ConsumerOptions field (the rare ones under
// "Advanced"), Connect/Disconnect with the state shown, the live message table with its inspector, Ack/Nack of
// the selection, auto-ack, pause/resume, counters, Unsubscribe and the end-of-topic check.
//
// Pause stops receiving the way Pulsar's WebSocket API allows, and loses nothing: in pull mode no more permits
// are sent (the server delivers only what was already permitted); in push mode automatic acks are held back,
// so the server stops once receiverQueueSize messages are unacked (its push window). Everything that still
// arrives is shown. Resume sends the held acks and the withheld permits. Acks the user asks for while paused
// are sent (and each lets the server push one more message).
class ConsumerPanel final : public StreamPanel
{
    Q_OBJECT
public:
    ConsumerPanel(const Pulsar::ConnectionProfile &profile, const Pulsar::TopicName &topic, EventLog *log,
                  QWidget *parent = nullptr);
    ~ConsumerPanel() override;

    QString title() const override;
    QByteArray saveState() const override;
    void restoreState(const QByteArray &state) override;
    void shutdown() override;

    // Builds the options from the form and opens the consumer; a form error shows in the status label.
    void connectConsumer();
    void disconnectConsumer();

    Pulsar::ConsumerSession *session() const { return m_session; }
    // The options the form describes, or an error text (translated) in *error.
    std::optional<Pulsar::ConsumerSettings> settingsFromForm(QString *error) const;

    void ackRows(const QList<int> &rows);
    void nackRows(const QList<int> &rows);
    void setPaused(bool paused) override;

protected:
    QString logSource() const override;

private:
    void buildForm();
    void onStatusChanged(const Pulsar::ChannelStatus &status);
    void onMessages(const QList<Pulsar::ReceivedMessage> &messages);
    void onAutoAckToggled(bool on);
    void releaseSession();

    QPointer<Pulsar::ConsumerSession> m_session;
    QLineEdit *m_subscription = nullptr;
    QComboBox *m_type = nullptr;
    QComboBox *m_mode = nullptr;
    QComboBox *m_initialPosition = nullptr;
    QSpinBox *m_receiverQueueSize = nullptr;
    QLineEdit *m_consumerName = nullptr;
    QSpinBox *m_ackTimeout = nullptr;
    QSpinBox *m_priorityLevel = nullptr;
    QSpinBox *m_negativeAckDelay = nullptr;
    QSpinBox *m_maxRedeliverCount = nullptr;
    QLineEdit *m_deadLetterTopic = nullptr;
    QCheckBox *m_pullMode = nullptr;
    QComboBox *m_cryptoFailureAction = nullptr;
    QPushButton *m_unsubscribe = nullptr;
    QWidget *m_form = nullptr;

    bool m_paused = false;
    bool m_pullModeActive = false;
    int m_window = 0;          // pull mode: the permits kept outstanding
    int m_withheldPermits = 0; // pull mode: permits not sent while paused
    QStringList m_heldAcks;    // push mode: auto-acks not sent while paused
    // The subscription this panel's last session reached (empty before any): connecting to it again retries a
    // refusal such as 409, which Pulsar answers while it still closes the previous consumer.
    QString m_lastConnectedSubscription;
};

} // namespace Gui
