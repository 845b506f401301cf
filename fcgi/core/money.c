/* money.c — see money.h. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"

/* ISO 4217 (list one, and the withdrawn codes of list three that old
 * statements still name), sorted by code for bsearch. */
static const struct currency currencies[] = {
	{"AED", 2, "UAE Dirham", false},
	{"AFN", 2, "Afghani", false},
	{"ALL", 2, "Lek", false},
	{"AMD", 2, "Armenian Dram", false},
	{"ANG", 2, "Netherlands Antillean Guilder", false},
	{"AOA", 2, "Kwanza", false},
	{"ARS", 2, "Argentine Peso", false},
	{"ATS", 2, "Schilling", true},
	{"AUD", 2, "Australian Dollar", false},
	{"AWG", 2, "Aruban Florin", false},
	{"AZN", 2, "Azerbaijan Manat", false},
	{"BAM", 2, "Convertible Mark", false},
	{"BBD", 2, "Barbados Dollar", false},
	{"BDT", 2, "Taka", false},
	{"BEF", 0, "Belgian Franc", true},
	{"BGN", 2, "Bulgarian Lev", false},
	{"BHD", 3, "Bahraini Dinar", false},
	{"BIF", 0, "Burundi Franc", false},
	{"BMD", 2, "Bermudian Dollar", false},
	{"BND", 2, "Brunei Dollar", false},
	{"BOB", 2, "Boliviano", false},
	{"BOV", 2, "Mvdol", false},
	{"BRL", 2, "Brazilian Real", false},
	{"BSD", 2, "Bahamian Dollar", false},
	{"BTN", 2, "Ngultrum", false},
	{"BWP", 2, "Pula", false},
	{"BYN", 2, "Belarusian Ruble", false},
	{"BZD", 2, "Belize Dollar", false},
	{"CAD", 2, "Canadian Dollar", false},
	{"CDF", 2, "Congolese Franc", false},
	{"CHE", 2, "WIR Euro", false},
	{"CHF", 2, "Swiss Franc", false},
	{"CHW", 2, "WIR Franc", false},
	{"CLF", 4, "Unidad de Fomento", false},
	{"CLP", 0, "Chilean Peso", false},
	{"CNY", 2, "Yuan Renminbi", false},
	{"COP", 2, "Colombian Peso", false},
	{"COU", 2, "Unidad de Valor Real", false},
	{"CRC", 2, "Costa Rican Colon", false},
	{"CUC", 2, "Peso Convertible", true},
	{"CUP", 2, "Cuban Peso", false},
	{"CVE", 2, "Cabo Verde Escudo", false},
	{"CYP", 2, "Cyprus Pound", true},
	{"CZK", 2, "Czech Koruna", false},
	{"DEM", 2, "Deutsche Mark", true},
	{"DJF", 0, "Djibouti Franc", false},
	{"DKK", 2, "Danish Krone", false},
	{"DOP", 2, "Dominican Peso", false},
	{"DZD", 2, "Algerian Dinar", false},
	{"EEK", 2, "Kroon", true},
	{"EGP", 2, "Egyptian Pound", false},
	{"ERN", 2, "Nakfa", false},
	{"ESP", 0, "Spanish Peseta", true},
	{"ETB", 2, "Ethiopian Birr", false},
	{"EUR", 2, "Euro", false},
	{"FIM", 2, "Markka", true},
	{"FJD", 2, "Fiji Dollar", false},
	{"FKP", 2, "Falkland Islands Pound", false},
	{"FRF", 2, "French Franc", true},
	{"GBP", 2, "Pound Sterling", false},
	{"GEL", 2, "Lari", false},
	{"GHS", 2, "Ghana Cedi", false},
	{"GIP", 2, "Gibraltar Pound", false},
	{"GMD", 2, "Dalasi", false},
	{"GNF", 0, "Guinean Franc", false},
	{"GRD", 0, "Drachma", true},
	{"GTQ", 2, "Quetzal", false},
	{"GYD", 2, "Guyana Dollar", false},
	{"HKD", 2, "Hong Kong Dollar", false},
	{"HNL", 2, "Lempira", false},
	{"HRK", 2, "Kuna", true},
	{"HTG", 2, "Gourde", false},
	{"HUF", 2, "Forint", false},
	{"IDR", 2, "Rupiah", false},
	{"IEP", 2, "Irish Pound", true},
	{"ILS", 2, "New Israeli Sheqel", false},
	{"INR", 2, "Indian Rupee", false},
	{"IQD", 3, "Iraqi Dinar", false},
	{"IRR", 2, "Iranian Rial", false},
	{"ISK", 0, "Iceland Krona", false},
	{"ITL", 0, "Italian Lira", true},
	{"JMD", 2, "Jamaican Dollar", false},
	{"JOD", 3, "Jordanian Dinar", false},
	{"JPY", 0, "Yen", false},
	{"KES", 2, "Kenyan Shilling", false},
	{"KGS", 2, "Som", false},
	{"KHR", 2, "Riel", false},
	{"KMF", 0, "Comorian Franc", false},
	{"KPW", 2, "North Korean Won", false},
	{"KRW", 0, "Won", false},
	{"KWD", 3, "Kuwaiti Dinar", false},
	{"KYD", 2, "Cayman Islands Dollar", false},
	{"KZT", 2, "Tenge", false},
	{"LAK", 2, "Lao Kip", false},
	{"LBP", 2, "Lebanese Pound", false},
	{"LKR", 2, "Sri Lanka Rupee", false},
	{"LRD", 2, "Liberian Dollar", false},
	{"LSL", 2, "Loti", false},
	{"LTL", 2, "Lithuanian Litas", true},
	{"LUF", 0, "Luxembourg Franc", true},
	{"LVL", 2, "Latvian Lats", true},
	{"LYD", 3, "Libyan Dinar", false},
	{"MAD", 2, "Moroccan Dirham", false},
	{"MDL", 2, "Moldovan Leu", false},
	{"MGA", 2, "Malagasy Ariary", false},
	{"MKD", 2, "Denar", false},
	{"MMK", 2, "Kyat", false},
	{"MNT", 2, "Tugrik", false},
	{"MOP", 2, "Pataca", false},
	{"MRO", 2, "Ouguiya (old)", true},
	{"MRU", 2, "Ouguiya", false},
	{"MTL", 2, "Maltese Lira", true},
	{"MUR", 2, "Mauritius Rupee", false},
	{"MVR", 2, "Rufiyaa", false},
	{"MWK", 2, "Malawi Kwacha", false},
	{"MXN", 2, "Mexican Peso", false},
	{"MXV", 2, "Mexican Unidad de Inversion", false},
	{"MYR", 2, "Malaysian Ringgit", false},
	{"MZN", 2, "Mozambique Metical", false},
	{"NAD", 2, "Namibia Dollar", false},
	{"NGN", 2, "Naira", false},
	{"NIO", 2, "Cordoba Oro", false},
	{"NLG", 2, "Netherlands Guilder", true},
	{"NOK", 2, "Norwegian Krone", false},
	{"NPR", 2, "Nepalese Rupee", false},
	{"NZD", 2, "New Zealand Dollar", false},
	{"OMR", 3, "Rial Omani", false},
	{"PAB", 2, "Balboa", false},
	{"PEN", 2, "Sol", false},
	{"PGK", 2, "Kina", false},
	{"PHP", 2, "Philippine Peso", false},
	{"PKR", 2, "Pakistan Rupee", false},
	{"PLN", 2, "Zloty", false},
	{"PTE", 0, "Portuguese Escudo", true},
	{"PYG", 0, "Guarani", false},
	{"QAR", 2, "Qatari Rial", false},
	{"RON", 2, "Romanian Leu", false},
	{"RSD", 2, "Serbian Dinar", false},
	{"RUB", 2, "Russian Ruble", false},
	{"RWF", 0, "Rwanda Franc", false},
	{"SAR", 2, "Saudi Riyal", false},
	{"SBD", 2, "Solomon Islands Dollar", false},
	{"SCR", 2, "Seychelles Rupee", false},
	{"SDG", 2, "Sudanese Pound", false},
	{"SEK", 2, "Swedish Krona", false},
	{"SGD", 2, "Singapore Dollar", false},
	{"SHP", 2, "Saint Helena Pound", false},
	{"SIT", 2, "Tolar", true},
	{"SKK", 2, "Slovak Koruna", true},
	{"SLE", 2, "Leone", false},
	{"SLL", 2, "Leone (old)", true},
	{"SOS", 2, "Somali Shilling", false},
	{"SRD", 2, "Surinam Dollar", false},
	{"SSP", 2, "South Sudanese Pound", false},
	{"STD", 2, "Dobra (old)", true},
	{"STN", 2, "Dobra", false},
	{"SVC", 2, "El Salvador Colon", false},
	{"SYP", 2, "Syrian Pound", false},
	{"SZL", 2, "Lilangeni", false},
	{"THB", 2, "Baht", false},
	{"TJS", 2, "Somoni", false},
	{"TMT", 2, "Turkmenistan New Manat", false},
	{"TND", 3, "Tunisian Dinar", false},
	{"TOP", 2, "Pa'anga", false},
	{"TRY", 2, "Turkish Lira", false},
	{"TTD", 2, "Trinidad and Tobago Dollar", false},
	{"TWD", 2, "New Taiwan Dollar", false},
	{"TZS", 2, "Tanzanian Shilling", false},
	{"UAH", 2, "Hryvnia", false},
	{"UGX", 0, "Uganda Shilling", false},
	{"USD", 2, "US Dollar", false},
	{"USN", 2, "US Dollar (Next day)", false},
	{"UYI", 0, "Uruguay Peso en Unidades Indexadas", false},
	{"UYU", 2, "Peso Uruguayo", false},
	{"UYW", 4, "Unidad Previsional", false},
	{"UZS", 2, "Uzbekistan Sum", false},
	{"VED", 2, "Bolivar Soberano", false},
	{"VEF", 2, "Bolivar Fuerte", true},
	{"VES", 2, "Bolivar Soberano", false},
	{"VND", 0, "Dong", false},
	{"VUV", 0, "Vatu", false},
	{"WST", 2, "Tala", false},
	{"XAF", 0, "CFA Franc BEAC", false},
	{"XAG", -1, "Silver", false},
	{"XAU", -1, "Gold", false},
	{"XBA", -1, "Bond Markets Unit European Composite Unit", false},
	{"XBB", -1, "Bond Markets Unit European Monetary Unit", false},
	{"XBC", -1, "Bond Markets Unit European Unit of Account 9", false},
	{"XBD", -1, "Bond Markets Unit European Unit of Account 17", false},
	{"XCD", 2, "East Caribbean Dollar", false},
	{"XCG", 2, "Caribbean Guilder", false},
	{"XDR", -1, "SDR (Special Drawing Right)", false},
	{"XOF", 0, "CFA Franc BCEAO", false},
	{"XPD", -1, "Palladium", false},
	{"XPF", 0, "CFP Franc", false},
	{"XPT", -1, "Platinum", false},
	{"XSU", -1, "Sucre", false},
	{"XTS", -1, "Codes reserved for testing purposes", false},
	{"XUA", -1, "ADB Unit of Account", false},
	{"XXX", -1, "No currency", false},
	{"YER", 2, "Yemeni Rial", false},
	{"ZAR", 2, "Rand", false},
	{"ZMW", 2, "Zambian Kwacha", false},
	{"ZWG", 2, "Zimbabwe Gold", false},
	{"ZWL", 2, "Zimbabwe Dollar", false},
};

static int
by_code(const void *key, const void *elem)
{
	return strcmp(key, ((const struct currency *)elem)->code);
}

const struct currency *
currency_find(const char *code)
{
	if (!code || strlen(code) != 3)
		return NULL;
	return bsearch(code, currencies, sizeof currencies / sizeof currencies[0],
	    sizeof currencies[0], by_code);
}

const struct currency *
currency_for(const char *code, enum currency_use use, char *why,
    size_t whylen)
{
	const struct currency *c = currency_find(code);
	if (!c)
		snprintf(why, whylen, "not an ISO 4217 currency code");
	else if (c->exponent < 0)
		snprintf(why, whylen, "%s (%s) has no minor unit in ISO 4217, so no"
		    " amount in it is exact", c->code, c->name);
	else if (c->withdrawn && use == CURRENCY_NEW_MONEY)
		snprintf(why, whylen, "%s (%s) is withdrawn (ISO 4217 list three)",
		    c->code, c->name);
	else
		return c;
	return NULL;
}

int
currency_exponent(const char *code)
{
	const struct currency *c = currency_find(code);
	return c && c->exponent >= 0 ? c->exponent : 2;
}

int64_t
currency_scale(const char *code)
{
	int64_t scale = 1;
	for (int k = currency_exponent(code); k > 0; k--)
		scale *= 10;
	return scale;
}

enum money_err
money_parse(const char *s, int exponent, int64_t *minor)
{
	char digits[64];
	size_t nd = 0;
	int frac = 0;          /* digits seen after the point */
	bool neg = false, seen_point = false, any = false;
	long exp10 = 0;

	*minor = 0;
	if (!s || !*s)
		return MONEY_SYNTAX;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			any = true;
			/* Leading zeros carry nothing. */
			if (nd == 0 && *s == '0') {
				if (seen_point)
					frac++;
				continue;
			}
			if (nd >= sizeof digits - 1)
				return MONEY_TOO_LARGE;
			digits[nd++] = *s;
			if (seen_point)
				frac++;
		} else if (*s == '.' && !seen_point) {
			seen_point = true;
		} else
			break;
	}
	if (!any || (seen_point && s[-1] == '.'))
		return MONEY_SYNTAX;
	if (*s == 'e' || *s == 'E') {
		s++;
		bool eneg = false;
		if (*s == '+' || *s == '-')
			eneg = *s++ == '-';
		if (!(*s >= '0' && *s <= '9'))
			return MONEY_SYNTAX;
		for (; *s >= '0' && *s <= '9'; s++) {
			exp10 = exp10 * 10 + (*s - '0');
			if (exp10 > 1000)
				return nd ? (eneg ? MONEY_TOO_PRECISE : MONEY_TOO_LARGE)
				          : MONEY_NOT_POSITIVE;
		}
		if (eneg)
			exp10 = -exp10;
	}
	if (*s)
		return MONEY_SYNTAX;
	digits[nd] = '\0';
	/* Trailing zeros of the fraction carry nothing either. */
	while (nd > 0 && frac > 0 && digits[nd - 1] == '0') {
		nd--;
		frac--;
	}
	if (nd == 0)
		return MONEY_NOT_POSITIVE; /* zero, however written */
	/* value = digits × 10^(exp10 - frac); minor = value × 10^exponent */
	long shift = exp10 - frac + exponent;
	if (shift < 0) {
		/* Only exact if the dropped digits are zero, and they are not
		 * (trailing zeros were removed above). */
		return MONEY_TOO_PRECISE;
	}
	if ((long)nd + shift > 15)
		return MONEY_TOO_LARGE;
	int64_t v = 0;
	for (size_t i = 0; i < nd; i++)
		v = v * 10 + (digits[i] - '0');
	for (long i = 0; i < shift; i++)
		v *= 10;
	if (v > MONEY_MAX_MINOR)
		return MONEY_TOO_LARGE;
	if (neg)
		return MONEY_NOT_POSITIVE;
	*minor = v;
	return MONEY_OK;
}

void
money_format(int64_t minor, int exponent, char *out, size_t outlen)
{
	int64_t scale = 1;
	for (int i = 0; i < exponent; i++)
		scale *= 10;
	bool neg = minor < 0;
	uint64_t m = neg ? (uint64_t)(-(minor + 1)) + 1 : (uint64_t)minor;
	if (exponent == 0)
		snprintf(out, outlen, "%s%llu", neg ? "-" : "", (unsigned long long)m);
	else
		snprintf(out, outlen, "%s%llu.%0*llu", neg ? "-" : "",
		    (unsigned long long)(m / (uint64_t)scale), exponent,
		    (unsigned long long)(m % (uint64_t)scale));
}
