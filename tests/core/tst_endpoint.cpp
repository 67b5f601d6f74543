#include <QtTest>
class Tst_endpoint : public QObject
{
    Q_OBJECT
};
QTEST_GUILESS_MAIN(Tst_endpoint)
#include "tst_endpoint.moc"
