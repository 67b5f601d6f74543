#include "models/propertiesmodel.h"

#include <QBrush>
#include <QColor>
#include <QHash>

namespace Gui {

PropertiesModel::PropertiesModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int PropertiesModel::addProperty(const QString &key, const QString &value)
{
    if (m_rows.size() >= MaxRows)
        return -1;
    const int row = int(m_rows.size());
    beginInsertRows(QModelIndex(), row, row);
    m_rows.append(Row{key, value, false});
    endInsertRows();
    revalidate();
    return row;
}

void PropertiesModel::removeProperty(int row)
{
    removeRows(row, 1);
}

bool PropertiesModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > m_rows.size())
        return false;
    beginRemoveRows(QModelIndex(), row, row + count - 1);
    m_rows.remove(row, count);
    endRemoveRows();
    revalidate();
    return true;
}

void PropertiesModel::setProperties(const Pulsar::Properties &properties)
{
    beginResetModel();
    m_rows.clear();
    for (const auto &property : properties) {
        if (m_rows.size() >= MaxRows)
            break;
        m_rows.append(Row{property.first, property.second, false});
    }
    endResetModel();
    revalidate();
}

Pulsar::Properties PropertiesModel::properties() const
{
    Pulsar::Properties result;
    for (const Row &row : m_rows) {
        if (!isBlank(row))
            result.append({row.key, row.value});
    }
    return result;
}

bool PropertiesModel::rowHasError(int row) const
{
    return row >= 0 && row < m_rows.size() && m_rows[row].error;
}

void PropertiesModel::revalidate()
{
    QHash<QString, int> firstRow;
    QHash<QString, int> counts;
    for (int i = 0; i < m_rows.size(); ++i) {
        const QString &key = m_rows[i].key;
        if (key.isEmpty())
            continue;
        if (!firstRow.contains(key))
            firstRow.insert(key, i);
        ++counts[key];
    }
    // The first problem in table order is the one named; every offending row is marked.
    QString error;
    for (int i = 0; i < m_rows.size(); ++i) {
        Row &row = m_rows[i];
        row.error = false;
        if (isBlank(row))
            continue;
        if (row.key.isEmpty()) {
            row.error = true;
            if (error.isEmpty())
                error = tr("Property in row %1 has an empty key").arg(i + 1);
        } else if (counts.value(row.key) > 1) {
            row.error = true;
            const int first = firstRow.value(row.key);
            if (error.isEmpty() && first != i)
                error = tr("Duplicate property key \"%1\" in rows %2 and %3").arg(row.key).arg(first + 1).arg(i + 1);
        }
    }
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1),
                           {Qt::BackgroundRole, Qt::ToolTipRole});
    if (error != m_error) {
        m_error = error;
        Q_EMIT validityChanged(m_error.isEmpty(), m_error);
    }
}

int PropertiesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PropertiesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PropertiesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return index.column() == KeyColumn ? row.key : row.value;
    case Qt::BackgroundRole:
        if (row.error && index.column() == KeyColumn)
            return QBrush(QColor(255, 205, 205));
        return {};
    case Qt::ToolTipRole:
        if (row.error && index.column() == KeyColumn)
            return row.key.isEmpty() ? tr("Empty key") : tr("Duplicate key");
        return {};
    default:
        return {};
    }
}

bool PropertiesModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    Row &row = m_rows[index.row()];
    QString &field = index.column() == KeyColumn ? row.key : row.value;
    const QString text = value.toString();
    if (field == text)
        return true;
    field = text;
    Q_EMIT dataChanged(index, index, {Qt::DisplayRole, Qt::EditRole});
    revalidate();
    return true;
}

Qt::ItemFlags PropertiesModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemIsEditable | Qt::ItemNeverHasChildren;
}

QVariant PropertiesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case KeyColumn:
        return tr("Key");
    case ValueColumn:
        return tr("Value");
    default:
        return {};
    }
}

} // namespace Gui
