#include <QtTest>
class Tst_messagestore : public QObject
{
    Q_OBJECT
};
QTEST_GUILESS_MAIN(Tst_messagestore)
#include "tst_messagestore.moc"
