#!/usr/bin/env python3
"""vouchers.py — the layout corpus: payment vouchers of the five countries as
banks make them (web pages, app screens, thermal and dot-matrix slips,
deposit slips), written as HTML for chromium to render (tests/browser/corpus.mjs), with
the truth of every field as ../shared/VOUCHERS.md defines it.

Usage: vouchers.py OUTDIR PER_LAYOUT [SEED]
  → OUTDIR/jobs.jsonl   one line a voucher: id, html, width, pdf (whether a
                        text PDF of it exists in the world), photo, scan
    OUTDIR/truth.jsonl  one line a voucher: id, layout, fold, family, …
                        amount, currency, date, reference, bankCode,
                        paymentMethod
    OUTDIR/layouts.txt  the layout table with each layout's fold
Deterministic for a seed (Python's own random.Random; no other input).

Each layout is a bank's design (family + style + bank); inside it every
voucher varies as real ones do: label wording, where a label sits (left,
above, two columns, table), the order of the rows, font and size, amount and
date formats, the amount in words, fees, balances and other distracting
numbers.  Layouts are dealt to FOLDS folds in table order, so that fitting
on some folds and scoring on the others measures layouts never seen.
"""
import html
import json
import os
import random
import sys

FOLDS = 4

MES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
       "agosto", "septiembre", "octubre", "noviembre", "diciembre"]
MES3 = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct",
        "nov", "dic"]
DIAS = ["Lunes", "Martes", "Miércoles", "Jueves", "Viernes", "Sábado",
        "Domingo"]

CURRENCY = {"GT": "GTQ", "CR": "CRC", "PE": "PEN", "CO": "COP", "MX": "MXN"}
WORDS_CUR = {"GTQ": "QUETZALES", "CRC": "COLONES", "PEN": "SOLES",
             "COP": "PESOS", "MXN": "PESOS", "USD": "DÓLARES"}

SANS = ["Roboto", "Lato", "Open Sans", "DejaVu Sans", "Liberation Sans",
        "FreeSans", "Nimbus Sans"]
SERIF = ["Liberation Serif", "DejaVu Serif", "FreeSerif", "Nimbus Roman"]
MONO = ["Nimbus Mono PS", "DejaVu Sans Mono", "Liberation Mono", "FreeMono",
        "Noto Mono"]
HAND = ["Comic Neue"]


# ---- numbers and words ------------------------------------------------------

def group(n, sep):
    s = str(n)
    out = ""
    for i, ch in enumerate(s):
        if i and (len(s) - i) % 3 == 0:
            out += sep
        out += ch
    return out


UNITS = ["", "UNO", "DOS", "TRES", "CUATRO", "CINCO", "SEIS", "SIETE", "OCHO",
         "NUEVE", "DIEZ", "ONCE", "DOCE", "TRECE", "CATORCE", "QUINCE",
         "DIECISÉIS", "DIECISIETE", "DIECIOCHO", "DIECINUEVE", "VEINTE",
         "VEINTIUNO", "VEINTIDÓS", "VEINTITRÉS", "VEINTICUATRO", "VEINTICINCO",
         "VEINTISÉIS", "VEINTISIETE", "VEINTIOCHO", "VEINTINUEVE"]
TENS = ["", "", "", "TREINTA", "CUARENTA", "CINCUENTA", "SESENTA", "SETENTA",
        "OCHENTA", "NOVENTA"]
HUNDREDS = ["", "CIENTO", "DOSCIENTOS", "TRESCIENTOS", "CUATROCIENTOS",
            "QUINIENTOS", "SEISCIENTOS", "SETECIENTOS", "OCHOCIENTOS",
            "NOVECIENTOS"]


def words_999(n):
    if n == 100:
        return "CIEN"
    h, r = divmod(n, 100)
    out = [HUNDREDS[h]] if h else []
    if r < 30:
        if r:
            out.append(UNITS[r])
    else:
        t, u = divmod(r, 10)
        out.append(TENS[t] + (" Y " + UNITS[u] if u else ""))
    return " ".join(out)


def words(n):
    """A whole number in Spanish capitals, as cheques and vouchers write it."""
    if n == 0:
        return "CERO"
    parts = []
    m, rest = divmod(n, 1000000)
    if m:
        parts.append("UN MILLÓN" if m == 1 else words(m) + " MILLONES")
    k, u = divmod(rest, 1000)
    if k:
        parts.append("MIL" if k == 1 else words_999(k) + " MIL")
    if u:
        parts.append(words_999(u))
    return " ".join(parts)


# ---- what one voucher says ----------------------------------------------------

class V:
    """One voucher: the truth, and the rows it prints."""

    def __init__(self, rnd, layout):
        self.r = rnd
        self.L = layout
        self.country = layout["country"]
        self.bank = layout["bank"]
        self.currency = "USD" if (layout.get("usd") and rnd.random() < 0.5) \
            else CURRENCY[self.country]
        big = self.currency in ("CRC", "COP")
        units = rnd.choice([rnd.randint(5, 900), rnd.randint(100, 30000),
                            rnd.randint(1000, 250000)])
        if big:
            units *= rnd.choice([10, 100, 1000])
        cents = rnd.choice([0, 0, rnd.randint(1, 99)])
        if big and rnd.random() < 0.6:
            cents = 0
        if rnd.random() < 0.25:
            units -= units % 100
        self.cents = max(units, 1) * 100 + cents
        self.y = rnd.choice([2025, 2026])
        self.m = rnd.randint(1, 12)
        self.d = rnd.randint(1, 28)
        self.hh = rnd.randint(6, 22)
        self.mi = rnd.randint(0, 59)
        self.ss = rnd.randint(0, 59)
        self.fee = 0

    # amounts
    def money(self, cents, style=None):
        r, cur = self.r, self.currency
        u, c = divmod(cents, 100)
        if cur == "USD":
            s = style if style is not None else r.randint(0, 3)
            return ["US$ %s.%02d" % (group(u, ","), c), "USD %s.%02d" % (group(u, ","), c),
                    "$%s.%02d USD" % (group(u, ","), c), "US$%s.%02d" % (group(u, ","), c)][s]
        if cur == "GTQ":
            s = style if style is not None else r.randint(0, 4)
            return ["Q%s.%02d" % (group(u, ","), c), "Q %s.%02d" % (group(u, ","), c),
                    "Q.%s.%02d" % (group(u, ","), c), "GTQ %s.%02d" % (group(u, ","), c),
                    "Q. %s.%02d" % (group(u, ","), c)][s]
        if cur == "CRC":
            s = style if style is not None else r.randint(0, 3)
            return ["₡%s,%02d" % (group(u, " "), c), "¢%s,%02d" % (group(u, "."), c),
                    "CRC %s.%02d" % (group(u, ","), c), "₡%s.%02d" % (group(u, ","), c)][s]
        if cur == "PEN":
            s = style if style is not None else r.randint(0, 3)
            if s == 3 and c == 0:
                return "S/ %d" % u
            return ["S/ %s.%02d" % (group(u, ","), c), "S/. %s.%02d" % (group(u, ","), c),
                    "PEN %s.%02d" % (group(u, ","), c), "S/%s.%02d" % (group(u, ","), c)][s]
        if cur == "COP":
            s = style if style is not None else r.randint(0, 3)
            if c == 0 and s in (0, 1):
                return ["$%s" % group(u, "."), "COP $%s" % group(u, ".")][s]
            return ["$ %s,%02d" % (group(u, "."), c), "$%s,%02d" % (group(u, "."), c),
                    "$ %s,%02d" % (group(u, "."), c), "COP %s,%02d" % (group(u, "."), c)][s]
        s = style if style is not None else r.randint(0, 3)
        return ["$ %s.%02d MXN" % (group(u, ","), c), "$%s.%02d" % (group(u, ","), c),
                "$ %s.%02d M.N." % (group(u, ","), c), "MXN %s.%02d" % (group(u, ","), c)][s]

    def amount_words(self):
        u, c = divmod(self.cents, 100)
        return "%s %s %02d/100" % (words(u), WORDS_CUR[self.currency], c)

    # dates
    def date(self, d=None, hh=None, mi=None, style=None, time=None):
        r = self.r
        y, m, dd = (self.y, self.m, self.d) if d is None else d
        hh = self.hh if hh is None else hh
        mi = self.mi if mi is None else mi
        s = style if style is not None else r.randint(0, 11)
        mon = MES3[m - 1]
        if m == 9 and r.random() < 0.3:
            mon = "set"
        base = [
            "%02d/%02d/%04d" % (dd, m, y), "%02d/%02d/%02d" % (dd, m, y % 100),
            "%d %s %04d" % (dd, mon, y), "%02d %s. %04d" % (dd, mon, y),
            "%02d-%s-%02d" % (dd, mon.upper(), y % 100),
            "%02d/%s/%04d" % (dd, mon.capitalize(), y),
            "%d de %s de %04d" % (dd, MES[m - 1], y),
            "%s, %d de %s de %04d" % (DIAS[(dd + m) % 7], dd, MES[m - 1], y),
            "%04d-%02d-%02d" % (y, m, dd), "%04d/%02d/%02d" % (y, m, dd),
            "%02d.%02d.%04d" % (dd, m, y), "%02d-%02d-%04d" % (dd, m, y)][s]
        t = time if time is not None else r.randint(0, 4)
        if t == 0:
            return base
        ap = "a. m." if hh < 12 else "p. m."
        h12 = hh % 12 or 12
        tt = ["%02d:%02d" % (hh, mi), "%02d:%02d:%02d" % (hh, mi, self.ss),
              "%02d:%02d %s" % (h12, mi, ap), "%02d:%02d hrs" % (hh, mi),
              "%02d:%02d h" % (hh, mi)][t % 5]
        sep = r.choice([" ", " - ", ", ", " | "])
        return base + sep + tt

    def later(self):
        """A print timestamp: minutes later, sometimes the next day."""
        if self.r.random() < 0.3 and self.d < 28:
            return (self.y, self.m, self.d + 1)
        return (self.y, self.m, self.d)

    def digits(self, n):
        return "".join(str(self.r.randint(0, 9)) for _ in range(n))

    def alnum(self, n):
        return "".join(self.r.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789")
                       for _ in range(n))


def pick(r, xs):
    return xs[r.randrange(len(xs))]


# ---- families: what each kind of voucher prints (VOUCHERS.md) -----------------
# Each returns (title, rows, extra): rows are (label, value, role) with role
# one of amount, date, reference, or a distractor name; extra lines are free
# text (headers, footers) that are not fields.

def acct(v, masked=None):
    n = v.digits(v.r.randint(10, 14))
    if masked if masked is not None else v.r.random() < 0.5:
        return "****" + n[-4:]
    return n


def common_tail(v, rows, fee_labels):
    """Fees with a total, balances, print stamps: the distractors."""
    r = v.r
    if r.random() < 0.35:
        fee = r.choice([300, 500, 1000, 1500, 250]) * (100 if v.currency in ("CRC", "COP") else 1)
        v.fee = fee
        style = r.randint(0, 2)
        rows.append((pick(r, fee_labels), v.money(fee, style), "fee"))
        rows.append((pick(r, ["Total", "Total debitado", "Total cargado", "Monto total",
                              "Total a pagar"]), v.money(v.cents + fee, style), "total"))
    if r.random() < 0.3:
        rows.append((pick(r, ["Saldo disponible", "Saldo", "Nuevo saldo"]),
                     v.money(r.randint(1000, 9000000)), "balance"))
    if r.random() < 0.5:
        d = v.later()
        rows.append((pick(r, ["Fecha de impresión", "Generado el", "Fecha de consulta",
                              "Impreso"]),
                     v.date(d, min(v.hh + 1, 23), r.randint(0, 59), time=1), "printed"))


def fam_gt_web(v):
    r = v.r
    ref_label = pick(r, ["No. de referencia", "Número de referencia", "Referencia",
                         "Comprobante", "No. de autorización", "No. Comprobante"])
    ref = v.digits(r.choice([8, 9, 10, 12]))
    rows = [
        (pick(r, ["Cuenta origen", "Cuenta debitada", "Desde la cuenta"]), acct(v), "account"),
        (pick(r, ["Cuenta destino", "Cuenta acreditada", "Hacia la cuenta"]), acct(v, False), "account"),
        (pick(r, ["Monto", "Monto transferido", "Valor", "Importe"]), v.money(v.cents), "amount"),
        (pick(r, ["Fecha", "Fecha de operación", "Fecha y hora", "Fecha de transacción"]),
         v.date(), "date"),
        (ref_label, ref, "reference"),
    ]
    if r.random() < 0.5:
        rows.append(("NIT", v.digits(7) + "-" + str(r.randint(0, 9)), "nit"))
    if r.random() < 0.3:
        rows.append(("DPI", v.digits(13), "dpi"))
    common_tail(v, rows, ["Comisión", "Cargo por servicio", "IVA"])
    return "Transferencia exitosa", rows, ref, "transferencia"


def fam_spei(v):
    r = v.r
    pre = pick(r, ["MBAN01", "BNET01", "HSBC01", "SANT", "AZTK", "BBVA"])
    ref = pre + "%02d%02d%02d" % (v.y % 100, v.m, v.d) + (
        v.digits(r.randint(8, 12)) if r.random() < 0.6 else
        v.digits(4) + pick(r, ["TRANS", "SPEI", "T"]) + v.digits(6))
    ref = ref[:30]
    rows = [
        (pick(r, ["Importe", "Monto", "Cantidad"]), v.money(v.cents), "amount"),
        (pick(r, ["Fecha de operación", "Fecha de aplicación", "Fecha", "Fecha y hora"]),
         v.date(), "date"),
        (pick(r, ["Clave de rastreo", "Clave de Rastreo", "Clave rastreo"]), ref, "reference"),
        (pick(r, ["Referencia numérica", "Referencia", "Ref. numérica"]),
         v.digits(r.randint(5, 7)), "refnum"),
        (pick(r, ["Folio", "Número de operación", "Folio de internet"]),
         v.digits(r.randint(6, 10)), "folio"),
        (pick(r, ["Cuenta CLABE", "CLABE destino", "CLABE"]), v.digits(18), "clabe"),
        (pick(r, ["Concepto de pago", "Concepto"]), pick(r, ["Pago factura", "Renta",
                                                               "Servicios", "PAGO"]), "concept"),
    ]
    if r.random() < 0.4:
        rows.append(("RFC", v.alnum(4) + v.digits(6) + v.alnum(3), "rfc"))
    common_tail(v, rows, ["Comisión", "IVA comisión"])
    return pick(r, ["Comprobante de transferencia SPEI", "Transferencia SPEI",
                    "Detalle del movimiento"]), rows, ref, "transferencia"


def fam_sinpe(v):
    r = v.r
    if r.random() < 0.6:
        ref = "%04d%02d%02d" % (v.y, v.m, v.d) + v.digits(r.randint(10, 14))
        lab = pick(r, ["Número de referencia", "Referencia", "No. referencia"])
    else:
        ref = v.digits(r.randint(8, 10))
        lab = pick(r, ["Comprobante", "Número de comprobante", "Comprobante No."])
    rows = [
        (pick(r, ["Monto", "Monto enviado", "Monto transferido"]), v.money(v.cents), "amount"),
        (pick(r, ["Fecha", "Fecha y hora", "Fecha de la transacción"]), v.date(), "date"),
        (lab, ref, "reference"),
        (pick(r, ["Documento", "Número de documento"]), v.digits(r.randint(6, 9)), "documento"),
        (pick(r, ["Teléfono destino", "Número de teléfono", "Celular"]),
         "%s-%s" % (v.digits(4), v.digits(4)), "phone"),
        (pick(r, ["Cuenta IBAN", "IBAN", "Cuenta cliente"]), "CR" + v.digits(20), "iban"),
    ]
    if r.random() < 0.4:
        rows.append(("Cédula", "%d-%s-%s" % (r.randint(1, 9), v.digits(4), v.digits(4)), "cedula"))
    common_tail(v, rows, ["Comisión", "Cargo"])
    return pick(r, ["SINPE Móvil", "Transferencia SINPE", "Comprobante SINPE"]), rows, ref, \
        "transferencia"


def fam_pe_bank(v):
    r = v.r
    ref = v.digits(r.randint(6, 8))
    rows = [
        (pick(r, ["Monto", "Importe", "Monto transferido", "Monto enviado"]),
         v.money(v.cents), "amount"),
        (pick(r, ["Fecha", "Fecha y hora", "Fecha de operación"]), v.date(), "date"),
        (pick(r, ["Número de operación", "Nro. de operación", "Código de operación",
                  "N° de operación", "Operación"]), ref, "reference"),
        (pick(r, ["CCI", "Cuenta interbancaria", "CCI destino"]), v.digits(20), "cci"),
        (pick(r, ["Cuenta de origen", "Cuenta cargo", "Desde"]), acct(v), "account"),
    ]
    if r.random() < 0.4:
        rows.append((pick(r, ["Nro. de cliente", "Código de cliente"]), v.digits(9), "client"))
    if r.random() < 0.3:
        rows.append(("RUC", "20" + v.digits(9), "ruc"))
    common_tail(v, rows, ["Comisión", "ITF", "Comisión interbancaria"])
    return pick(r, ["Constancia de transferencia", "Operación exitosa",
                    "Transferencia realizada"]), rows, ref, "transferencia"


def fam_yape(v):
    r = v.r
    ref = v.digits(8)
    rows = [
        ("", v.money(v.cents, r.choice([0, 3, 3])), "amount"),
        ("", pick(r, ["Juan Pérez R.", "María Quispe", "Comercial SAC", "Luis Ramos"]), "name"),
        ("", v.date(style=r.choice([2, 3, 6]), time=2), "date"),
        (pick(r, ["Nro. de operación", "N° de operación", "Número de operación"]), ref,
         "reference"),
        (pick(r, ["Nro. de celular", "Celular"]), "*** *** " + v.digits(3), "phone"),
        (pick(r, ["Código de seguridad", "Cód. de seguridad"]), v.digits(3), "security"),
    ]
    return pick(r, ["¡Yapeaste!", "¡Plineaste!", "Pago exitoso"]), rows, ref, "transferencia"


def fam_co_app(v):
    r = v.r
    aut = r.random() < 0.5
    if aut:
        ref = v.digits(r.randint(6, 8))
        lab = pick(r, ["No. Autorización", "Número de autorización", "Autorización"])
    else:
        ref = v.digits(r.randint(4, 10))
        lab = pick(r, ["Comprobante No.", "Comprobante", "No. comprobante"])
    rows = [
        (pick(r, ["Valor", "Valor transferido", "Monto", "Valor enviado"]),
         v.money(v.cents), "amount"),
        (pick(r, ["Fecha", "Fecha y hora", "Fecha de la transacción"]), v.date(), "date"),
        (lab, ref, "reference"),
        (pick(r, ["Cuenta de ahorros", "Producto origen", "Cuenta destino"]),
         pick(r, ["*" + v.digits(4), v.digits(3) + "-" + v.digits(6) + "-" + v.digits(2)]),
         "account"),
        (pick(r, ["C.C.", "NIT", "Documento"]), group(int(v.digits(9)) + 10 ** 8, "."), "cc"),
    ]
    if aut:
        rows.append((pick(r, ["No. de transacción", "Transacción"]), v.digits(r.randint(8, 12)),
                     "transaction"))
    common_tail(v, rows, ["Costo de la transacción", "GMF", "4x1000", "IVA"])
    return pick(r, ["¡Transferencia exitosa!", "Comprobante de transferencia",
                    "Transacción exitosa"]), rows, ref, "transferencia"


def fam_nequi(v):
    r = v.r
    ref = "M" + v.digits(r.randint(6, 8))
    rows = [
        (pick(r, ["¿Cuánto?", "Valor", "Cuánto"]), v.money(v.cents, r.choice([0, 1])), "amount"),
        (pick(r, ["Para", "Enviado a"]), pick(r, ["Andrés Gómez", "Laura Díaz", "Tienda Sol"]),
         "name"),
        (pick(r, ["Número Nequi", "Celular"]), "3%s %s %s" % (v.digits(2), v.digits(3),
                                                             v.digits(4)), "phone"),
        (pick(r, ["Fecha", "Fecha y hora"]), v.date(), "date"),
        (pick(r, ["Referencia", "Ref."]), ref, "reference"),
    ]
    return pick(r, ["¡Listo! Envío exitoso", "Envío realizado"]), rows, ref, "transferencia"


def fam_slip(v):
    """Deposit slip: handwriting, a preprinted serial, and the teller's line."""
    r = v.r
    ref = v.digits(r.randint(6, 9))
    cur = v.money(v.cents, r.choice([0, 1]) if v.currency == "GTQ" else None)
    u, c = divmod(v.cents, 100)
    fill = "*" * r.randint(3, 7)
    tag = pick(r, ["TRX", "REF", "DOC", "TRANS"])
    star = {"GTQ": "Q", "PEN": "S/", "CRC": "¢", "COP": "$", "MXN": "$", "USD": "US$"}[v.currency]
    sep = "," if v.currency not in ("COP",) else "."
    dsep = "." if v.currency not in ("COP",) else ","
    money_line = "%s%s%s%s%02d" % (star, fill, group(u, sep), dsep, c)
    agencia = v.digits(3)
    valid = " ".join(pick(r, [
        ["%s %s" % (tag, ref), v.date(style=1, time=0), "%02d:%02d" % (v.hh, v.mi),
         "AG" + agencia, "CAJ" + v.digits(2), money_line],
        [v.date(style=0, time=0), "%s:%s" % (tag, ref), money_line, "AG:" + agencia,
         "U" + v.digits(3)],
    ]))
    rows = [
        ("No.", v.digits(7), "serial"),
        (pick(r, ["Cuenta No.", "No. de cuenta", "Cuenta"]), v.digits(r.randint(10, 13)),
         "account"),
        (pick(r, ["Efectivo", "Total efectivo"]), cur, "amount_hand"),
        (pick(r, ["Cheques", "Cheque No."]), v.digits(6) if r.random() < 0.5 else "", "cheque"),
        (pick(r, ["Total", "Total depósito", "TOTAL"]), cur, "amount_hand"),
        (pick(r, ["Fecha", "Fecha:"]), v.date(style=r.choice([0, 1]), time=0), "date_hand"),
        ("", valid, "validation"),
    ]
    return pick(r, ["BOLETA DE DEPÓSITO", "Depósito monetario", "VOLANTE DE DEPÓSITO"]), \
        rows, ref, "deposito"


def fam_pos(v):
    r = v.r
    ref = v.alnum(6) if r.random() < 0.4 else v.digits(6)
    rows = [
        ("", pick(r, ["VENTA", "COMPRA", "PAGO"]), "kind"),
        ("TERMINAL", v.digits(8), "terminal"),
        (pick(r, ["LOTE", "BATCH"]), v.digits(3), "lote"),
        (pick(r, ["RECIBO", "TICKET"]), v.digits(4), "recibo"),
        ("", "************" + v.digits(4), "card"),
        (pick(r, ["FECHA", "FECHA/HORA"]), v.date(style=r.choice([0, 1, 4]), time=1), "date"),
        (pick(r, ["AUT", "AUTORIZACION", "AUT."]), ref, "reference"),
        ("REF", v.digits(r.randint(6, 12)), "refpos"),
        (pick(r, ["TOTAL", "MONTO", "IMPORTE"]), v.money(v.cents), "amount"),
    ]
    if r.random() < 0.3:
        tip = r.randint(1, 50) * 100
        rows.insert(-1, ("PROPINA", v.money(tip), "tip"))
        rows[-1] = (rows[-1][0], v.money(v.cents), "amount")
    return pick(r, ["COMPROBANTE DE VENTA", "VOUCHER", "*** CLIENTE ***"]), rows, ref, "tarjeta"


def fam_atm(v):
    r = v.r
    ref = v.digits(r.randint(6, 8))
    rows = [
        (pick(r, ["FECHA", "FECHA/HORA"]), v.date(style=r.choice([0, 1, 4]), time=1), "date"),
        ("CAJERO", v.digits(4), "cajero"),
        (pick(r, ["SECUENCIA", "SEC"]), v.digits(4), "secuencia"),
        ("TERMINAL", v.digits(6), "terminal"),
        (pick(r, ["No. AUTORIZACION", "AUTORIZACION", "No. AUT."]), ref, "reference"),
        (pick(r, ["FOLIO"]), v.digits(6), "folio"),
        (pick(r, ["CUENTA", "CTA"]), acct(v, True), "account"),
        (pick(r, ["MONTO DEPOSITADO", "DEPOSITO", "MONTO", "IMPORTE"]), v.money(v.cents),
         "amount"),
    ]
    if r.random() < 0.5:
        rows.append(("SALDO DISPONIBLE", v.money(r.randint(1000, 9000000)), "balance"))
    return pick(r, ["DEPOSITO EN EFECTIVO", "CAJERO AUTOMATICO", "AGENTE"]), rows, ref, \
        "deposito"


ITEMS_ES = ["PAN FRANCES", "LECHE ENTERA 1L", "ARROZ 5LB", "AZUCAR 2KG", "ACEITE VEG",
            "HUEVOS 12U", "CAFE MOLIDO", "AGUA PURA 600ML", "GASEOSA 2L", "DETERGENTE",
            "JABON TOCADOR", "PAPEL HIG 4R", "RECARGA TIGO", "PAGO SERVICIO LUZ",
            "POLLO ENTERO", "TORTILLAS", "GALLETAS", "CUADERNO", "PILAS AA"]
ITEMS_EN = ["WHITE BREAD", "FRESH MILK 1L", "RICE 5KG", "SUGAR 2KG", "COOKING OIL",
            "EGGS 10S", "COFFEE", "MINERAL WATER", "SOFT DRINK", "DETERGENT",
            "TOILET ROLL", "NOTEBOOK A4", "BATTERY AA", "CHICKEN RICE", "ICED TEA",
            "PEN BLUE", "GLUE STICK", "TAPE 18MM", "CABLE TIE"]
TAX = {"GT": ("IVA", 12), "CR": ("IVA", 13), "PE": ("IGV", 18), "CO": ("IVA", 19),
       "MX": ("IVA", 16)}

MON_EN = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]


def date_en(v):
    """How English tickets print the day (day first, as where they sell)."""
    r, y, m, d = v.r, v.y, v.m, v.d
    base = pick(r, ["%02d/%02d/%04d" % (d, m, y), "%02d-%02d-%02d" % (d, m, y % 100),
                    "%02d %s %04d" % (d, MON_EN[m - 1], y),
                    "%02d-%s-%04d" % (d, MON_EN[m - 1].capitalize(), y),
                    "%02d.%02d.%02d" % (d, m, y % 100), "%02d/%02d/%02d" % (d, m, y % 100)])
    t = r.randint(0, 2)
    if t == 0:
        return base
    if t == 1:
        return "%s %02d:%02d:%02d" % (base, v.hh, v.mi, v.ss)
    return "%s %d:%02d %s" % (base, v.hh % 12 or 12, v.mi, "AM" if v.hh < 12 else "PM")


def fam_store(v):
    """A shop's or agent's ticket: items, subtotal, tax, rounding, the total
    paid, then the cash tendered and the change — all money, one of them
    the amount.  The reference is the ticket's own number."""
    r = v.r
    en = v.L["opts"].get("en", False)
    small = v.currency not in ("CRC", "COP")
    # What a shop's ticket comes to, not a transfer's range.
    v.cents = r.randint(150, 90000) if small else r.randint(5, 900) * 10000
    if r.random() < 0.3:
        v.cents -= v.cents % 100
    plain = r.random() < 0.5  # many tickets print bare numbers

    def m(c):
        if plain:
            return "%s.%02d" % (group(c // 100, ","), c % 100) if small else \
                group(c // 100, ".")
        return v.money(c)

    tax_name, rate = TAX[v.country]
    if en:
        tax_name = pick(r, ["GST", "TAX", "SST", tax_name])
    rounding = 0
    if small and r.random() < 0.3:
        rounding = r.choice([-2, -1, 1, 2])
    total = v.cents
    # Many tickets add the tax to a net subtotal ("Total Sales (Excluding
    # GST)", the tax, then the total with it); others print it as a part
    # of a subtotal that already holds it.
    added = r.random() < 0.5
    if added:
        subtotal = (total - rounding) * 100 // (100 + rate)
        tax = total - rounding - subtotal
    else:
        subtotal = total - rounding
        tax = subtotal * rate // (100 + rate)
    # Items that add up to the subtotal (the last takes what is left).
    n = r.randint(1, 6)
    items, left = [], subtotal
    names = ITEMS_EN if en else ITEMS_ES
    for k in range(n):
        c = left if k == n - 1 else r.randint(1, max(1, left // (n - k)))
        left -= c
        qty = r.choice([1, 1, 1, 2, 3])
        label = pick(r, names)
        if qty > 1 and c % qty == 0:
            label = "%d x %s" % (qty, label)
        items.append((label, m(c), "item"))
    ref = v.digits(r.randint(5, 10)) if r.random() < 0.6 else \
        "%s%s-%s" % (r.choice("BFT"), v.digits(3), v.digits(r.randint(5, 8)))
    ref_label = pick(r, ["Receipt No", "Invoice No", "Bill No", "Doc No", "Trans No",
                         "Receipt #"] if en else
                     ["Ticket", "Ticket No.", "Boleta", "Factura No.", "No. Transacción",
                      "Documento", "Boleta de venta"])
    reg = pick(r, ["GST REG NO", "TAX ID", "CO REG"] if en else
               {"GT": ["NIT"], "CR": ["Cédula jurídica"], "PE": ["RUC"],
                "CO": ["NIT"], "MX": ["RFC"]}[v.country])
    rows = [
        ("", pick(r, ["Av. Reforma 12-45 Zona 9", "Calle 45 # 12-30", "Jr. Lampa 545",
                      "Blvd. Ávila Camacho 40", "Lot 12, Jalan Perdana 3"]), "address"),
        (reg, v.digits(r.randint(8, 12)), "taxid"),
        (pick(r, ["Date", "Date/Time", "DATE"] if en else ["Fecha", "FECHA", "Fecha/Hora"]),
         date_en(v) if en else v.date(style=r.choice([0, 1, 2, 4, 8, 10, 11]),
                                      time=r.randint(0, 2)), "date"),
        (ref_label, ref, "reference"),
        (pick(r, ["Cashier", "Counter", "Till"] if en else ["Cajero", "Caja", "Atendió"]),
         v.digits(r.randint(2, 4)), "cashier"),
    ]
    r.shuffle(rows)
    rows += items
    if added or r.random() < 0.7:
        rows.append((pick(r, ["Sub Total", "SUBTOTAL", "Sub-total"] +
                          (["Total Sales (Excluding %s)" % tax_name,
                            "Total Excl. %s" % tax_name] if added else []) if en else
                          ["SUBTOTAL", "Sub Total", "Subtotal"] +
                          (["Total sin %s" % tax_name] if added else [])),
                     m(subtotal), "subtotal"))
    if added or r.random() < 0.7:
        rows.append(("%s %d%%" % (tax_name, rate), m(tax), "tax"))
    # Some print what the exempt goods and the taxed ones come to, each a
    # "total" of its own, before the total paid.
    if r.random() < 0.3 and subtotal > 2:
        exempt = r.randint(1, subtotal // 2)
        names = (["Total 0% supplies", "Total %d%% supplies (Inc. %s)" % (rate, tax_name)],
                 ["Exempt total", "Taxable total"]) if en else \
            (["Total exento", "Total gravado"], ["Total exento", "Total gravado %d%%" % rate])
        a, b = pick(r, names)
        rows.append((a, m(exempt), "exempt"))
        rows.append((b, m(total - rounding - exempt), "taxed"))
    if rounding:
        # Many print the total before rounding as a total of its own
        # ("Total Sales (Inclusive of GST) 28.31", "Rounding -0.01",
        # "TOTAL 28.30"): what was paid is the one after.  Drawn apart
        # from v.r so that the rest of the corpus stays as it was.
        ur = random.Random("%s %d %d" % (v.currency, total, rounding))
        if ur.random() < 0.6:
            rows.append((pick(ur, ["Total Sales (Inclusive of %s)" % tax_name,
                                  "Total Incl. %s" % tax_name, "Total", "TOTAL"] if en else
                              ["Total antes de redondeo", "TOTAL", "Total"]),
                         m(total - rounding), "unrounded"))
        rows.append((pick(r, ["Rounding Adj", "Rounding", "ROUNDING"] if en else
                          ["Redondeo", "REDONDEO"]),
                     "%s0.%02d" % ("-" if rounding < 0 else "", abs(rounding)), "rounding"))
    rows.append((pick(r, ["TOTAL", "GRAND TOTAL", "Total Amount", "NET TOTAL",
                          "Total (Incl. Tax)", "Total (Inclusive of %s)" % tax_name,
                          "Total Incl. %s" % tax_name, "Total Payable"] if en else
                      ["TOTAL", "TOTAL A PAGAR", "Total", "IMPORTE TOTAL", "TOTAL VENTA"]),
                 m(total), "amount"))
    if r.random() < 0.8:
        step = 1000 if small else 500000
        cash = total if r.random() < 0.25 else (total // step + 1) * step
        rows.append((pick(r, ["CASH", "Cash", "Tendered"] if en else
                          ["EFECTIVO", "Efectivo", "Pago con"]), m(cash), "cash"))
        rows.append((pick(r, ["CHANGE", "Change", "Change Due"] if en else
                          ["CAMBIO", "Vuelto", "Su cambio"]), m(cash - total), "change"))
    if r.random() < 0.4:
        rows.append((pick(r, ["Total Qty", "Items"] if en else ["Artículos", "Total items"]),
                     str(n), "count"))
    title = pick(r, ["TAX INVOICE", "CASH RECEIPT", "RECEIPT", "SIMPLIFIED TAX INVOICE"] if en
                 else ["TICKET DE VENTA", "BOLETA DE VENTA ELECTRÓNICA", "FACTURA", "RECIBO"])
    return title, rows, ref, "efectivo"


FAMILIES = {"gt_web": fam_gt_web, "spei": fam_spei, "sinpe": fam_sinpe,
            "pe_bank": fam_pe_bank, "yape": fam_yape, "co_app": fam_co_app,
            "nequi": fam_nequi, "slip": fam_slip, "pos": fam_pos, "atm": fam_atm,
            "store": fam_store}

# ---- styles: how a design lays the rows out ------------------------------------


def esc(s):
    return html.escape(s, quote=True)


def page(body, css, width):
    return ("<!doctype html><html><head><meta charset='utf-8'><style>"
            "*{box-sizing:border-box}body{margin:0;width:%dpx}%s</style></head>"
            "<body>%s</body></html>") % (width, css, body)


def row_html(r, label, value, place, size):
    if place == "left":
        return "<div class='row'><span class='lab'>%s:</span> <span class='val'>%s</span></div>" % (
            esc(label), esc(value))
    if place == "above":
        return "<div class='row'><div class='lab sm'>%s</div><div class='val'>%s</div></div>" % (
            esc(label), esc(value))
    if place == "right":
        return ("<div class='row flex'><span class='lab'>%s</span><span class='val'>%s</span>"
                "</div>") % (esc(label), esc(value))
    return "<tr><td class='lab'>%s</td><td class='val'>%s</td></tr>" % (esc(label), esc(value))


def style_web(v, title, rows, opts):
    r = v.r
    font = pick(r, SERIF if opts.get("serif") else SANS)
    size = r.choice([13, 14, 15, 16])
    place = opts.get("place") or pick(r, ["left", "right", "table", "above", "table"])
    accent = pick(r, ["#003b71", "#005a2b", "#c8102e", "#00205b", "#e35205", "#6b2c91"])
    rows = list(rows)
    head = rows[:2]
    tail = rows[2:]
    r.shuffle(tail)  # field order varies inside one design
    rows = head + tail if r.random() < 0.5 else rows
    cells = [row_html(r, l, val, place, size) for l, val, _ in rows if l]
    body = "".join(cells)
    if place == "table":
        body = "<table>%s</table>" % body
    if place == "above" and r.random() < 0.5:
        body = "<div class='grid'>%s</div>" % body
    words = ""
    if r.random() < 0.4:
        words = "<p class='words'>%s: %s</p>" % (pick(r, ["Monto en letras", "Son", "SON"]),
                                                 esc(v.amount_words()))
    css = ("body{font-family:'%s';font-size:%dpx;color:#222;background:#fff}"
           ".hdr{background:%s;color:#fff;padding:18px 28px;font-size:1.4em;font-weight:bold}"
           ".box{padding:20px 28px}.row{margin:9px 0}.lab{color:#555}.val{font-weight:600}"
           ".sm{font-size:.8em}.flex{display:flex;justify-content:space-between;"
           "border-bottom:1px solid #ddd;padding:6px 0}table{border-collapse:collapse;width:100%%}"
           "td{padding:7px 4px;border-bottom:1px solid #e5e5e5}td.val{text-align:right}"
           ".grid{display:grid;grid-template-columns:1fr 1fr;column-gap:30px}"
           "h2{color:%s;font-size:1.2em}.foot{color:#888;font-size:.75em;padding:10px 28px}"
           ".words{font-style:italic;color:#444}") % (font, size, accent, accent)
    body = ("<div class='hdr'>%s</div><div class='box'><h2>%s</h2>%s%s</div>"
            "<div class='foot'>%s · Atención al cliente 1-800-%s · www.banco.example</div>") % (
        esc(opts["printed"]), esc(title), body, words, esc(opts["printed"]), v.digits(4))
    return page(body, css, opts.get("width", 820))


def style_app(v, title, rows, opts):
    r = v.r
    dark = opts.get("dark", r.random() < 0.35)
    font = pick(r, SANS)
    bg, fg, sub = ("#121212", "#f2f2f2", "#aaaaaa") if dark else ("#ffffff", "#1a1a1a", "#6b6b6b")
    accent = pick(r, ["#742384", "#00a19a", "#ff6a13", "#0033a0", "#e4002b", "#da0081"])
    amount = [x for x in rows if x[2] == "amount"]
    others = [x for x in rows if x[2] != "amount"]
    big = ""
    if amount and opts.get("big", True):
        lab, val, _ = amount[0]
        big = "<div class='sub'>%s</div><div class='big'>%s</div>" % (
            esc(lab or pick(r, ["Monto", "Enviaste", "Pagaste"])), esc(val))
    else:
        others = rows
    place = pick(r, ["above", "right", "right"])
    items = []
    for lab, val, role in others:
        if not lab:
            items.append("<div class='row c'>%s</div>" % esc(val))
        else:
            items.append(row_html(r, lab, val, place, 15))
    status = "<div class='status'>%02d:%02d &nbsp; ▂▄▆ 4G ▮ %d%%</div>" % (
        (v.hh + 1) % 24, r.randint(0, 59), r.randint(10, 99))
    css = ("body{font-family:'%s';background:%s;color:%s;font-size:15px}"
           ".status{font-size:12px;padding:6px 14px;color:%s}"
           ".top{background:%s;color:#fff;padding:16px;text-align:center;font-size:18px;"
           "font-weight:bold}.card{padding:16px 22px}.sub{color:%s;text-align:center;"
           "font-size:14px;margin-top:14px}.big{text-align:center;font-size:%dpx;"
           "font-weight:700;margin:6px 0 18px}.row{margin:12px 0}.lab{color:%s;font-size:13px}"
           ".val{font-weight:600}.flex{display:flex;justify-content:space-between}"
           ".c{text-align:center}.sm{font-size:12px}") % (
        font, bg, fg, sub, accent, sub, r.choice([30, 34, 40]), sub)
    body = "%s<div class='top'>%s</div><div class='card'><div class='c'>%s</div>%s%s</div>" % (
        status if opts.get("status", True) else "", esc(opts["printed"]), esc(title), big,
        "".join(items))
    return page(body, css, opts.get("width", 390))


def style_thermal(v, title, rows, opts):
    r = v.r
    en = opts.get("en", False)
    # Shops print with whatever their printer has; banks' slips are mono.
    font = pick(r, MONO + (SANS if v.L["family"] == "store" else []))
    lines = [esc(opts["printed"].upper()), esc(title.upper()),
             "%s %s %s" % ("BRANCH" if en else "SUC.", v.digits(3),
                           pick(r, ["ZONA 10", "CENTRO", "MIRAFLORES", "POLANCO",
                                    "CHAPINERO"]))]
    for lab, val, _ in rows:
        if not lab:
            lines.append(esc(val))
        elif r.random() < 0.5:
            lines.append("%s: %s" % (esc(lab), esc(val)))
        else:
            pad = max(1, 32 - len(lab) - len(val))
            lines.append("%s%s%s" % (esc(lab), "&nbsp;" * pad, esc(val)))
    lines.append(pick(r, ["THANK YOU, PLEASE COME AGAIN", "GOODS SOLD ARE NOT RETURNABLE",
                          "*** CUSTOMER COPY ***"] if en else
                      ["GRACIAS POR SU PREFERENCIA", "CONSERVE SU COMPROBANTE",
                       "*** COPIA CLIENTE ***"]))
    css = ("body{font-family:'%s';font-size:%dpx;background:#fdfdf8;color:#222;"
           "padding:18px 14px;line-height:1.35;text-align:%s}") % (
        font, r.choice([14, 15, 16]), pick(r, ["left", "center"]))
    return page("<br>".join(lines), css, 360)


def style_slip(v, title, rows, opts):
    r = v.r
    hand = pick(r, HAND)
    font = pick(r, SANS)
    mono = pick(r, MONO)
    cells = []
    valid = ""
    for lab, val, role in rows:
        if role == "validation":
            valid = "<div class='valid'>%s</div>" % esc(val)
        elif role == "serial":
            cells.append("<div class='serial'>No. %s</div>" % esc(val))
        elif role in ("amount_hand", "date_hand", "cheque") or role == "account":
            cells.append("<div class='cell'><span class='lab'>%s</span> "
                         "<span class='hand'>%s</span></div>" % (esc(lab), esc(val)))
    css = ("body{font-family:'%s';background:#f4f1e6;color:#1c2a5a;padding:18px}"
           ".t{font-weight:bold;font-size:18px}.cell{border:1px solid #8aa;padding:8px;"
           "margin:6px 0}.lab{font-size:12px;text-transform:uppercase}"
           ".hand{font-family:'%s';font-size:22px;color:#123;margin-left:12px;"
           "display:inline-block;transform:rotate(%ddeg)}.serial{color:#c00;float:right;"
           "font-size:16px}.valid{font-family:'%s';font-size:14px;color:#333;margin-top:14px;"
           "letter-spacing:1px}") % (font, hand, r.randint(-3, 3), mono)
    body = "<div class='t'>%s — %s</div>%s%s" % (esc(opts["printed"]), esc(title),
                                               "".join(cells), valid)
    return page(body, css, 700)


STYLES = {"web": style_web, "app": style_app, "thermal": style_thermal, "slip": style_slip}

# ---- the layout table ------------------------------------------------------------
# id, country, bank code, how the bank prints its name, family, style, options.
# Conditions: web pages come as screenshots, text PDFs, scans and photos;
# apps as screenshots, app PDFs and photos of the screen; paper as scans
# and photos only (VOUCHERS.md: how they arrive).

L = []


def lay(lid, country, bank, printed, family, style, **opts):
    opts["printed"] = printed
    L.append({"id": lid, "country": country, "bank": bank, "family": family,
              "style": style, "opts": opts, "usd": opts.pop("usd", False)})


lay("gt-bi-web", "GT", "BI", "Banco Industrial", "gt_web", "web", usd=True)
lay("gt-bi-app", "GT", "BI", "Bi en Línea", "gt_web", "app")
lay("gt-bam-web", "GT", "BAM", "BAM Banco Agromercantil", "gt_web", "web", serif=True)
lay("gt-gyt-web", "GT", "GYT", "G&T Continental", "gt_web", "web", place="table")
lay("gt-banrural-app", "GT", "BANRURAL", "Banrural", "gt_web", "app", dark=True)
lay("gt-bac-app", "GT", "BAC_GT", "BAC Credomatic", "gt_web", "app", usd=True)
lay("gt-bi-slip", "GT", "BI", "Banco Industrial", "slip", "slip")
lay("gt-banrural-slip", "GT", "BANRURAL", "BANRURAL", "slip", "slip")
lay("gt-bi-pos", "GT", "BI", "VisaNet Guatemala", "pos", "thermal")
lay("gt-bam-atm", "GT", "BAM", "BAM", "atm", "thermal")
lay("cr-bncr-web", "CR", "BNCR", "Banco Nacional de Costa Rica", "sinpe", "web", usd=True)
lay("cr-bcr-app", "CR", "BCR", "BCR Móvil", "sinpe", "app")
lay("cr-bac-web", "CR", "BAC_CR", "BAC Credomatic", "sinpe", "web", place="above")
lay("cr-bp-app", "CR", "BPDC", "Banco Popular", "sinpe", "app", dark=True)
lay("cr-bncr-slip", "CR", "BNCR", "Banco Nacional", "slip", "slip")
lay("cr-bcr-atm", "CR", "BCR", "BCR", "atm", "thermal")
lay("cr-bac-pos", "CR", "BAC_CR", "BAC Credomatic", "pos", "thermal")
lay("pe-bcp-web", "PE", "BCP", "BCP Banco de Crédito", "pe_bank", "web", usd=True)
lay("pe-bbva-app", "PE", "BBVA_PE", "BBVA Perú", "pe_bank", "app")
lay("pe-interbank-web", "PE", "INTERBANK", "Interbank", "pe_bank", "web", place="right")
lay("pe-scotia-web", "PE", "SCOTIA_PE", "Scotiabank Perú", "pe_bank", "web", serif=True)
lay("pe-yape", "PE", "BCP", "Yape", "yape", "app", status=True)
lay("pe-plin-interbank", "PE", "INTERBANK", "Plin · Interbank", "yape", "app", dark=True)
lay("pe-bn-slip", "PE", "BN_PE", "Banco de la Nación", "slip", "slip")
lay("pe-bcp-atm", "PE", "BCP", "BCP Agente", "atm", "thermal")
lay("pe-interbank-pos", "PE", "INTERBANK", "Izipay", "pos", "thermal")
lay("co-bancolombia-app", "CO", "BANCOLOMBIA", "Bancolombia", "co_app", "app")
lay("co-bancolombia-web", "CO", "BANCOLOMBIA", "Bancolombia Sucursal Virtual", "co_app", "web")
lay("co-davivienda-app", "CO", "DAVIVIENDA", "Davivienda", "co_app", "app", dark=True)
lay("co-bogota-web", "CO", "BOGOTA", "Banco de Bogotá", "co_app", "web", place="table")
lay("co-nequi", "CO", "NEQUI", "Nequi", "nequi", "app")
lay("co-nequi-dark", "CO", "NEQUI", "Nequi", "nequi", "app", dark=True, big=False)
lay("co-bbva-atm", "CO", "BBVA_CO", "BBVA Colombia", "atm", "thermal")
lay("co-bancolombia-pos", "CO", "BANCOLOMBIA", "Redeban", "pos", "thermal")
lay("mx-bbva-app", "MX", "BBVA_MX", "BBVA México", "spei", "app", usd=True)
lay("mx-banorte-web", "MX", "BANORTE", "Banorte", "spei", "web")
lay("mx-santander-web", "MX", "SANTANDER_MX", "Santander", "spei", "web", place="above")
lay("mx-banamex-app", "MX", "BANAMEX", "Citibanamex", "spei", "app", dark=True)
lay("mx-hsbc-web", "MX", "HSBC_MX", "HSBC México", "spei", "web", serif=True)
lay("mx-azteca-slip", "MX", "AZTECA", "Banco Azteca", "slip", "slip")
lay("mx-banorte-atm", "MX", "BANORTE", "Banorte", "atm", "thermal")
lay("mx-bbva-pos", "MX", "BBVA_MX", "BBVA Terminal", "pos", "thermal")
lay("gt-gyt-app", "GT", "GYT", "G&T Continental Móvil", "gt_web", "app", big=False)
lay("pe-bbva-web", "PE", "BBVA_PE", "BBVA", "pe_bank", "web", place="above")
# Shops' and agents' tickets (cash payments at a shop, and receipts sent
# as proof of payment), some in English: no bank issued them.
lay("gt-store", "GT", "", "Supermercados La Torre", "store", "thermal")
lay("pe-store", "PE", "", "Tambo+ Agente KasNet", "store", "thermal")
lay("mx-store", "MX", "", "OXXO Tienda 1234", "store", "thermal")
lay("co-store", "CO", "", "Almacenes Éxito", "store", "thermal")
lay("cr-store-en", "CR", "", "PriceSmart Escazú", "store", "thermal", en=True)
lay("gt-store-en", "GT", "", "Café Barista Oakland", "store", "thermal", en=True)
lay("mx-store-en", "MX", "", "Hardware Depot Cancún", "store", "thermal", en=True)
lay("pe-store-en", "PE", "", "Lima Book Shop", "store", "thermal", en=True)

for i, l in enumerate(L):
    l["fold"] = i % FOLDS

CONDITIONS = {"web": ["clean", "textpdf", "scanpdf", "photo"],
              "app": ["clean", "textpdf", "photo"],
              "thermal": ["clean", "scanpdf", "photo"],
              "slip": ["clean", "scanpdf", "photo"]}


def voucher(seed, lay_, k):
    r = random.Random("%s/%s/%d" % (seed, lay_["id"], k))
    v = V(r, lay_)
    title, rows, ref, method = FAMILIES[lay_["family"]](v)
    html_ = STYLES[lay_["style"]](v, title, rows, dict(lay_["opts"]))
    conds = list(CONDITIONS[lay_["style"]])
    if lay_["family"] in ("yape", "nequi") and "textpdf" in conds:
        conds.remove("textpdf")  # wallets never come as a text PDF
    truth = {"layout": lay_["id"], "fold": lay_["fold"], "family": lay_["family"],
             "style": lay_["style"], "country": lay_["country"],
             "amount": "%d.%02d" % divmod(v.cents, 100), "currency": v.currency,
             "date": "%04d-%02d-%02d" % (v.y, v.m, v.d), "reference": ref.upper(),
             "bankCode": lay_["bank"] or None, "paymentMethod": method,
             "fee": v.fee > 0, "conditions": conds}
    width = lay_["opts"].get("width") or {"web": 820, "app": 390, "thermal": 360,
                                          "slip": 700}[lay_["style"]]
    return html_, width, truth


def main():
    out, per = sys.argv[1], int(sys.argv[2])
    seed = sys.argv[3] if len(sys.argv) > 3 else "20261207"
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "jobs.jsonl"), "w") as jf, \
            open(os.path.join(out, "truth.jsonl"), "w") as tf:
        n = 0
        for k in range(per):
            for lay_ in L:
                html_, width, truth = voucher(seed, lay_, k)
                vid = "%04d" % n
                truth["id"] = vid
                jf.write(json.dumps({"id": vid, "html": html_, "width": width,
                                     "conditions": truth["conditions"],
                                     "seed": "%s/%d" % (seed, n)}) + "\n")
                tf.write(json.dumps(truth, ensure_ascii=False) + "\n")
                n += 1
    with open(os.path.join(out, "layouts.txt"), "w") as f:
        for l in L:
            f.write("%s\t%d\t%s\t%s\n" % (l["id"], l["fold"], l["family"], l["style"]))


if __name__ == "__main__":
    main()
