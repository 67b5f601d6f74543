#pragma once

#include "protocol/frames.h"

#include <QAbstractTableModel>
#include <QList>
#include <QString>

namespace Gui {

// The message properties the producer composer sends: an editable key/value table. Pulsar's properties are a
// map, so a repeated key would silently keep only its last value on the server; the model flags duplicate and
// empty keys instead (cells marked, validationError() says which rows) and the panel refuses to send until they
// are fixed. A completely blank row (no key, no value) is not an error and is not sent: it is what "Add" makes.
class PropertiesModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        KeyColumn,
        ValueColumn,
        ColumnCount
    };
    // A message with more properties than this is not something a person composes by hand.
    static constexpr int MaxRows = 1000;

    explicit PropertiesModel(QObject *parent = nullptr);

    // Appends a row; returns its index, or -1 when MaxRows is reached.
    int addProperty(const QString &key = QString(), const QString &value = QString());
    void removeProperty(int row);
    void setProperties(const Pulsar::Properties &properties);
    // The non-blank rows, in table order. Only meaningful when isValid().
    Pulsar::Properties properties() const;

    bool isValid() const { return m_error.isEmpty(); }
    // Translated, naming the first problem and its rows; empty when valid.
    QString validationError() const { return m_error; }
    // True when the row's key is empty (with a value) or repeated.
    bool rowHasError(int row) const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool removeRows(int row, int count, const QModelIndex &parent = QModelIndex()) override;

Q_SIGNALS:
    // The verdict or its text changed (after any edit, insert or removal that changes it).
    void validityChanged(bool valid, const QString &error);

private:
    struct Row
    {
        QString key;
        QString value;
        bool error = false;
    };
    static bool isBlank(const Row &row) { return row.key.isEmpty() && row.value.isEmpty(); }
    void revalidate();

    QList<Row> m_rows;
    QString m_error;
};

} // namespace Gui
