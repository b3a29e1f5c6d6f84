/* hl-explain.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Teaching text for each event, written against RFC 8446 (TLS 1.3) and
 * RFC 5246 (TLS 1.2). Each text depends on what the rest of the session
 * shows: the version, whether the server asked for a client certificate
 * (mutual TLS), and whether TLS 1.2 used RSA key transport.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "hl-details-range.h"
#include "hl-explain.h"
#include "hl-registry.h"

#define TLS12 0x0303
#define TLS13 0x0304

enum {
  HT_CLIENT_HELLO = 1,
  HT_SERVER_HELLO = 2,
  HT_NEW_SESSION_TICKET = 4,
  HT_END_OF_EARLY_DATA = 5,
  HT_ENCRYPTED_EXTENSIONS = 8,
  HT_CERTIFICATE = 11,
  HT_SERVER_KEY_EXCHANGE = 12,
  HT_CERTIFICATE_REQUEST = 13,
  HT_SERVER_HELLO_DONE = 14,
  HT_CERTIFICATE_VERIFY = 15,
  HT_CLIENT_KEY_EXCHANGE = 16,
  HT_FINISHED = 20,
  HT_KEY_UPDATE = 24,
};

typedef struct
{
  guint16  version;
  gboolean mutual;
  gboolean has_server_key_exchange;
  gboolean has_server_hello_done;
  gboolean retried_before;
  gboolean resumed;
  /* the last failed certificate check before the event (owned) */
  HlEvent *failed_check;
} Context;

static guint16
version_from_string (const char *text)
{
  if (text == NULL)
    return 0;
  if (strstr (text, "1.3") != NULL)
    return TLS13;
  if (strstr (text, "1.2") != NULL)
    return TLS12;
  return 0;
}

static void
scan_event (Context *context,
            HlEvent *event,
            HlEvent *other)
{
  switch (hl_event_get_kind (other))
    {
    case HL_EVENT_HANDSHAKE:
      if (hl_event_get_tls_version (other) != 0)
        context->version = hl_event_get_tls_version (other);
      switch (hl_event_get_handshake_type (other))
        {
        case HT_CERTIFICATE_REQUEST:
          context->mutual = TRUE;
          break;
        case HT_SERVER_KEY_EXCHANGE:
          context->has_server_key_exchange = TRUE;
          break;
        case HT_SERVER_HELLO_DONE:
          context->has_server_hello_done = TRUE;
          break;
        case HL_HANDSHAKE_TYPE_HELLO_RETRY_REQUEST:
          if (hl_event_get_seq (other) < hl_event_get_seq (event))
            context->retried_before = TRUE;
          break;
        default:
          break;
        }
      break;
    case HL_EVENT_CERTIFICATE_CHECK:
      if (!hl_event_get_verified (other) && hl_event_get_seq (other) <= hl_event_get_seq (event))
        g_set_object (&context->failed_check, other);
      break;
    case HL_EVENT_STATE:
      if (g_strcmp0 (hl_event_get_state (other), "handshake_done") == 0)
        {
          guint16 version = version_from_string (hl_event_get_detail (other, "version"));

          if (version != 0 && context->version == 0)
            context->version = version;
          if (g_strcmp0 (hl_event_get_detail (other, "resumed"), "true") == 0)
            context->resumed = TRUE;
        }
      break;
    default:
      break;
    }
}

static Context
build_context (HlEvent    *event,
               GListModel *events)
{
  Context context = { 0 };
  HlDetailsRange range;

  /* the rest of the event's connection, before and after it */
  if (events != NULL && hl_details_range_find (events, event, &range))
    for (guint i = range.start; i < range.end; i++)
      {
        g_autoptr(HlEvent) other = g_list_model_get_item (events, i);

        if (hl_event_get_session (other) == hl_event_get_session (event))
          scan_event (&context, event, other);
      }
  else
    scan_event (&context, event, event);
  /* The event's own version wins over the session's last one */
  if (hl_event_get_tls_version (event) != 0)
    context.version = hl_event_get_tls_version (event);
  return context;
}

static gboolean
rsa_key_transport (const Context *context)
{
  /* Only a complete TLS 1.2 server flight without ServerKeyExchange says so */
  return context->version == TLS12 && context->has_server_hello_done &&
         !context->has_server_key_exchange;
}

static void
add (GString    *text,
     const char *paragraph)
{
  if (text->len > 0)
    g_string_append (text, "\n\n");
  g_string_append (text, paragraph);
}

static void
explain_client_hello (GString       *text,
                      const Context *context)
{
  add (text, _("The client opens the handshake by saying what it can do: the protocol versions it "
               "supports, its cipher suites in order of preference, a fresh 32-byte random, and "
               "extensions such as server_name (the host it wants to reach), supported_groups and "
               "signature_algorithms. The server will pick from these lists."));
  if (context->version == TLS13)
    add (text, _("For TLS 1.3 the versions travel in the supported_versions extension, while "
                 "legacy_version stays at TLS 1.2 so that old middleboxes are not confused. The "
                 "client also guesses which key-exchange groups the server accepts and sends its "
                 "ephemeral public keys in key_share right away, which lets the handshake finish "
                 "in a single round trip."));
  else if (context->version == TLS12)
    add (text, _("In TLS 1.2 the ClientHello carries no key material: keys are agreed later, in "
                 "ServerKeyExchange and ClientKeyExchange, or by RSA key transport. Like every "
                 "TLS 1.2 handshake message before Finished, it travels in the clear."));
  if (context->retried_before)
    add (text, _("This is the second ClientHello, sent after a HelloRetryRequest. It repeats the "
                 "first one, except that key_share now holds a public key for the group the "
                 "server asked for (and a cookie, if the server sent one)."));
}

static void
explain_server_hello (GString       *text,
                      const Context *context)
{
  if (context->version == TLS13)
    {
      add (text, _("The server picks one option from each list the client offered: TLS 1.3 in the "
                   "supported_versions extension, a cipher suite, and one of the client's key "
                   "shares, to which it answers with its own ephemeral public key. Both sides can "
                   "now compute the shared (EC)DHE secret and derive handshake traffic keys."));
      add (text, _("That is why everything the server sends after this message is encrypted: in "
                   "TLS 1.3 the hellos are the only handshake messages in the clear."));
      if (context->resumed)
        add (text, _("Here the server accepted a pre-shared key from an earlier session "
                     "(pre_shared_key extension), so no certificate follows: the earlier "
                     "handshake already authenticated the server."));
      return;
    }

  add (text, _("The server chooses the protocol version and one cipher suite from the client's "
               "lists, and sends its own 32-byte random and a session ID with which the client "
               "may resume the session later. Both randoms enter the key derivation, so every "
               "session gets fresh keys even when the same secret is reused."));
  if (rsa_key_transport (context))
    add (text, _("The suite chosen here uses RSA key transport, so no ServerKeyExchange follows: "
                 "the client will encrypt the premaster secret with the public key from the "
                 "server's certificate."));
  else if (context->has_server_key_exchange)
    add (text, _("The suite chosen here uses ephemeral (EC)DHE key exchange; the server's "
                 "ephemeral public key follows in ServerKeyExchange."));
}

static void
explain_certificate (GString       *text,
                     HlEvent       *event,
                     const Context *context)
{
  if (hl_event_get_sender (event) == HL_SIDE_SERVER)
    add (text, _("The server sends its certificate chain: its own (leaf) certificate first, then "
                 "the intermediate CA certificates needed to link it to a root the client trusts. "
                 "The client checks the chain and that the leaf is valid for the name it wanted "
                 "to reach; CertificateVerify or the key exchange then proves that the server "
                 "owns the leaf's private key."));
  else
    add (text, _("The client sends its certificate chain because the server asked for one with "
                 "CertificateRequest: this is mutual (two-way) TLS, in which the server also "
                 "verifies who the client is. A client without a suitable certificate sends this "
                 "message with an empty list, and the server decides whether to continue or to "
                 "abort the handshake."));

  if (context->version == TLS13)
    add (text, _("In TLS 1.3 the certificate travels encrypted. The key shares were already "
                 "exchanged in the hellos, so handshake traffic keys exist before any "
                 "certificate is sent, and the identity of the endpoints stays hidden from "
                 "anyone watching the network."));
  else if (context->version == TLS12)
    add (text, _("In TLS 1.2 the certificate travels in the clear, because no keys have been "
                 "agreed when it is sent: anyone on the path can see which certificate was "
                 "presented."));
}

static void
explain_certificate_verify (GString       *text,
                            HlEvent       *event,
                            const Context *context)
{
  if (hl_event_get_sender (event) == HL_SIDE_SERVER)
    add (text, _("The server proves that it holds the private key of the certificate it just "
                 "sent by signing a hash of the whole handshake so far. The client checks the "
                 "signature with the public key from the certificate. Because the hashed "
                 "transcript contains both randoms and key shares, the signature cannot be "
                 "replayed in another handshake."));
  else
    add (text, _("The client proves that it holds the private key of the certificate it just "
                 "sent by signing a hash of the handshake so far. It happens only in mutual "
                 "TLS; without this signature anyone could present a client's certificate, "
                 "which is public."));
  if (context->version == TLS12)
    add (text, _("In TLS 1.2 only the client sends CertificateVerify. The server proves its key "
                 "by signing ServerKeyExchange or, with RSA key transport, implicitly, by being "
                 "able to decrypt the premaster secret."));
}

static void
explain_client_key_exchange (GString       *text,
                             const Context *context)
{
  if (rsa_key_transport (context))
    add (text, _("With RSA key transport the client makes up a 48-byte premaster secret, encrypts "
                 "it with the RSA public key from the server's certificate and sends it here. "
                 "Only the owner of the server's private key can decrypt it. There is no "
                 "forward secrecy: whoever obtains that private key later can decrypt every "
                 "recorded session, which is why TLS 1.3 removed RSA key transport."));
  else
    add (text, _("The client sends its ephemeral (EC)DHE public key for the group the server "
                 "chose. Each side combines its own private key with the other's public key and "
                 "obtains the same premaster secret, from which both derive the master secret "
                 "and the record keys. An eavesdropper sees both public keys but cannot compute "
                 "the shared secret."));
}

static void
explain_finished (GString       *text,
                  HlEvent       *event,
                  const Context *context)
{
  add (text, _("Finished ends the sender's part of the handshake. Its verify_data is a MAC over "
               "the hash of every handshake message so far, keyed with a secret derived from the "
               "handshake. When the peer verifies it, both sides know that they saw the same "
               "messages, so nobody removed a cipher suite or changed a parameter on the way, "
               "and that they share the same keys."));
  if (context->version == TLS13 && hl_event_get_sender (event) == HL_SIDE_SERVER)
    add (text, _("In TLS 1.3 the server's Finished follows its Certificate and CertificateVerify, "
                 "encrypted with the handshake traffic key; the server may send application data "
                 "right after it."));
  else if (context->version == TLS13)
    add (text, _("In TLS 1.3 the client's Finished completes the handshake; from now on both "
                 "directions use the application traffic keys."));
  else if (context->version == TLS12)
    add (text, _("In TLS 1.2 Finished follows ChangeCipherSpec and is the first message encrypted "
                 "with the newly negotiated keys."));
}

static void
explain_new_session_ticket (GString       *text,
                            const Context *context)
{
  if (context->version == TLS13)
    add (text, _("After the handshake the server gives the client a ticket for a later "
                 "connection: presenting it resumes the session with a pre-shared key, without "
                 "a certificate, and may even allow 0-RTT early data. The ticket is opaque to "
                 "the client; it comes with a lifetime and an age_add value that hides how long "
                 "the client kept it. In TLS 1.3 tickets travel encrypted, after both Finished "
                 "messages, and a server often sends more than one."));
  else
    add (text, _("The server sends a session ticket (RFC 5077): the session state, encrypted with "
                 "a key only the server knows. The client stores it and presents it in a later "
                 "ClientHello to resume the session without a full handshake. In TLS 1.2 it "
                 "comes just before the server's ChangeCipherSpec."));
}

static void
explain_handshake (GString       *text,
                   HlEvent       *event,
                   const Context *context)
{
  switch (hl_event_get_handshake_type (event))
    {
    case HT_CLIENT_HELLO:
      explain_client_hello (text, context);
      break;
    case HT_SERVER_HELLO:
      explain_server_hello (text, context);
      break;
    case HL_HANDSHAKE_TYPE_HELLO_RETRY_REQUEST:
      add (text, _("A HelloRetryRequest is a ServerHello with a special, fixed random value. The "
                   "server sends it when none of the client's key shares is for a group it "
                   "accepts, although the client listed an acceptable group in supported_groups. "
                   "Its key_share extension names the group the server wants, and the client "
                   "must send a second ClientHello with a share for it. This costs a round trip, "
                   "which is why clients try to guess the group well."));
      break;
    case HT_NEW_SESSION_TICKET:
      explain_new_session_ticket (text, context);
      break;
    case HT_END_OF_EARLY_DATA:
      add (text, _("The client signals that it has finished sending 0-RTT early data; what "
                   "follows is protected with the client's handshake traffic key. It is sent "
                   "only when the server accepted early data."));
      break;
    case HT_ENCRYPTED_EXTENSIONS:
      add (text, _("In TLS 1.3 the server puts the extensions that are not needed to establish "
                   "keys in this message, right after ServerHello and already encrypted with the "
                   "server's handshake traffic key. It typically carries the chosen ALPN protocol "
                   "and the acknowledgement of server_name. Moving them out of ServerHello hides "
                   "them from passive observers."));
      break;
    case HT_CERTIFICATE:
      explain_certificate (text, event, context);
      break;
    case HT_SERVER_KEY_EXCHANGE:
      add (text, _("The server sends its ephemeral (EC)DHE public key and the group it belongs "
                   "to, signed together with both hello randoms by the private key of its "
                   "certificate. The signature proves that the key comes from the certificate's "
                   "owner and was made for this handshake. Because the key pair is thrown away "
                   "afterwards, stealing the server's long-term key later does not reveal the "
                   "session keys (forward secrecy). With RSA key transport this message is "
                   "absent."));
      break;
    case HT_CERTIFICATE_REQUEST:
      add (text, _("The server asks the client to authenticate with a certificate. This message "
                   "appears only in mutual (two-way) TLS, when the server is configured to "
                   "request or require client certificates; in ordinary one-way TLS only the "
                   "client checks the server, and it is never sent."));
      if (context->version == TLS13)
        add (text, _("In TLS 1.3 it is encrypted and comes after EncryptedExtensions; its "
                     "extensions name the signature algorithms the server accepts and, "
                     "optionally, the certificate authorities it trusts."));
      else if (context->version == TLS12)
        add (text, _("In TLS 1.2 it lists the certificate types and signature algorithms the "
                     "server accepts and the names of the certificate authorities it trusts, "
                     "and it travels in the clear."));
      break;
    case HT_SERVER_HELLO_DONE:
      add (text, _("In TLS 1.2 the server ends its flight with this empty message: it has sent "
                   "everything it has to say (ServerHello, Certificate, and ServerKeyExchange and "
                   "CertificateRequest where they apply) and now waits for the client. TLS 1.3 has no such "
                   "message; the server's Finished ends its flight instead."));
      break;
    case HT_CERTIFICATE_VERIFY:
      explain_certificate_verify (text, event, context);
      break;
    case HT_CLIENT_KEY_EXCHANGE:
      explain_client_key_exchange (text, context);
      break;
    case HT_FINISHED:
      explain_finished (text, event, context);
      break;
    case HT_KEY_UPDATE:
      add (text, _("In TLS 1.3 either side can replace its sending keys with new ones derived "
                   "from the current traffic secret, for example after sending a lot of data. "
                   "When request_update is set, the peer is asked to update its own sending keys "
                   "as well."));
      break;
    default:
      add (text, _("This handshake message type is rarely seen in TLS 1.2 and 1.3 handshakes. "
                   "Its fields show what the sender put into it."));
      break;
    }
}

static void
explain_change_cipher_spec (GString       *text,
                            const Context *context)
{
  if (context->version == TLS13)
    add (text, _("TLS 1.3 has no use for ChangeCipherSpec. Implementations send this one-byte "
                 "record only in middlebox compatibility mode (RFC 8446, appendix D.4), so that "
                 "the handshake looks like a TLS 1.2 session resumption to network boxes that "
                 "would otherwise break it. The receiver ignores it."));
  else
    add (text, _("ChangeCipherSpec tells the peer that from now on this side protects its "
                 "records with the keys and cipher just negotiated. It is not a handshake "
                 "message but a record type of its own. The next message from this side, "
                 "Finished, is the first one encrypted."));
}

static void
explain_record (GString       *text,
                HlEvent       *event,
                const Context *context)
{
  add (text, _("This is one TLS record as it crossed the network: a 5-byte header (content type, "
               "legacy version, length) and a fragment of at most 16 KiB of data. Records carry "
               "handshake messages, alerts, ChangeCipherSpec or application data; one record can "
               "hold several handshake messages, and a long message can span several records. "
               "The version in the header is frozen for compatibility and does not say which "
               "version is in use."));
  if (context->version == TLS13)
    add (text, _("In TLS 1.3 every encrypted record says application_data in its header; the real "
                 "content type is hidden inside the encrypted part, so an observer cannot tell "
                 "handshake messages, alerts and data apart."));
}

static const char *
secret_text (const char *label)
{
  if (g_str_equal (label, "CLIENT_HANDSHAKE_TRAFFIC_SECRET"))
    return _("The client handshake traffic secret of TLS 1.3, derived from the (EC)DHE shared "
             "secret and the hash of ClientHello and ServerHello. The keys that protect the rest "
             "of the client's handshake (Certificate, CertificateVerify and Finished) come "
             "from it.");
  if (g_str_equal (label, "SERVER_HANDSHAKE_TRAFFIC_SECRET"))
    return _("The server handshake traffic secret of TLS 1.3, derived from the (EC)DHE shared "
             "secret and the hash of ClientHello and ServerHello. The keys that protect "
             "EncryptedExtensions, Certificate, CertificateVerify and Finished from the server "
             "come from it, which is why those messages travel encrypted.");
  if (g_str_equal (label, "CLIENT_TRAFFIC_SECRET_0"))
    return _("The first client application traffic secret of TLS 1.3, derived from the master "
             "secret and the transcript up to the server's Finished. Application data from the "
             "client is encrypted with keys from it until a KeyUpdate replaces it.");
  if (g_str_equal (label, "SERVER_TRAFFIC_SECRET_0"))
    return _("The first server application traffic secret of TLS 1.3, derived from the master "
             "secret and the transcript up to the server's Finished. Application data from the "
             "server is encrypted with keys from it until a KeyUpdate replaces it.");
  if (g_str_equal (label, "EXPORTER_SECRET"))
    return _("The exporter master secret lets applications derive extra keying material bound "
             "to this TLS session (RFC 8446, section 7.5), for example for channel binding. It "
             "does not encrypt any record.");
  if (g_str_equal (label, "CLIENT_EARLY_TRAFFIC_SECRET"))
    return _("The client early traffic secret protects 0-RTT data, which the client sends with "
             "its ClientHello when it resumes a session with a pre-shared key.");
  if (g_str_equal (label, "CLIENT_RANDOM"))
    return _("In TLS 1.2 the key log records the 48-byte master secret, indexed by the client "
             "random. The record keys of both directions are derived from it and the two hello "
             "randoms, so this single line decrypts the whole session.");
  return _("A secret derived during the handshake.");
}

static void
explain_certificate_check (GString       *text,
                           HlEvent       *event,
                           const Context *context)
{
  const char *const *reasons = hl_event_get_reasons (event);
  gboolean by_client = hl_event_get_side (event) == HL_SIDE_CLIENT;

  if (hl_event_get_verified (event))
    add (text, by_client
         ? _("The client checked the certificate chain the server sent and accepted it: each "
             "certificate is signed by the next, the chain ends at a root the client trusts, "
             "every certificate is within its validity period, and the leaf is valid for the "
             "server's name.")
         : _("The server checked the certificate chain the client sent and accepted it: each "
             "certificate is signed by the next, the chain ends at a root the server trusts, "
             "and every certificate is within its validity period."));
  else
    add (text, by_client
         ? _("The client rejected the certificate chain the server sent. A client that refuses "
             "the server's identity ends the handshake with an alert such as bad_certificate, "
             "unknown_ca or certificate_expired, because it cannot know whom it is talking to.")
         : _("The server rejected the certificate chain the client sent, and will end the "
             "handshake with an alert such as bad_certificate or unknown_ca."));

  if (reasons != NULL && reasons[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv ("\n• ", (char **) reasons);
      g_autofree char *line = g_strdup_printf (_("GnuTLS gave these reasons:\n• %s"), joined);

      add (text, line);
    }

  if (!by_client)
    add (text, _("Only in mutual TLS does the server check a certificate; in one-way TLS only "
                 "the client checks the server."));
}

static const char *
alert_text (guint8 description)
{
  switch (description)
    {
    case 0: return _("close_notify: the sender will send no more data on this connection. It "
                     "protects against truncation: a connection that ends without it may have "
                     "been cut short by an attacker.");
    case 10: return _("unexpected_message: a message arrived that was not allowed at this point, "
                      "for example a handshake message out of order.");
    case 20: return _("bad_record_mac: a record could not be decrypted or failed its integrity "
                      "check; the two sides derived different keys, or the data was altered.");
    case 22: return _("record_overflow: a record was longer than the protocol allows.");
    case 40: return _("handshake_failure: the sender could not agree on security parameters, "
                      "typically because no cipher suite, group or signature algorithm was in "
                      "common.");
    case 42: return _("bad_certificate: a certificate was corrupt, or a signature in it did not "
                      "verify.");
    case 43: return _("unsupported_certificate: a certificate was of a type the receiver does "
                      "not support.");
    case 44: return _("certificate_revoked: a certificate was revoked by its issuer.");
    case 45: return _("certificate_expired: a certificate has expired or is not yet valid.");
    case 46: return _("certificate_unknown: some other problem with a certificate made it "
                      "unacceptable.");
    case 47: return _("illegal_parameter: a field in the handshake was out of range or "
                      "inconsistent with other fields.");
    case 48: return _("unknown_ca: the certificate chain could not be linked to a trusted "
                      "certificate authority, for example a self-signed certificate or a "
                      "private CA the receiver does not trust.");
    case 49: return _("access_denied: a valid certificate was received, but access control "
                      "refused to proceed.");
    case 50: return _("decode_error: a message could not be parsed, because a field was out of "
                      "range or a length was wrong.");
    case 51: return _("decrypt_error: a cryptographic check in the handshake failed, such as a "
                      "signature that did not verify or a Finished message that did not match.");
    case 70: return _("protocol_version: the peer offered a protocol version the sender "
                      "recognises but refuses, for example a TLS 1.2 ClientHello sent to a "
                      "TLS 1.3-only server.");
    case 71: return _("insufficient_security: the parameters the peer offered are weaker than "
                      "the sender requires.");
    case 80: return _("internal_error: an error unrelated to the peer or the protocol, such as a "
                      "failed memory allocation.");
    case 86: return _("inappropriate_fallback: a client retried with a lower version although "
                      "the server supports a higher one, which may be a downgrade attack.");
    case 90: return _("user_canceled: the handshake was cancelled for a reason unrelated to the "
                      "protocol.");
    case 109: return _("missing_extension: a required extension was absent.");
    case 110: return _("unsupported_extension: the peer sent an extension it was not allowed to "
                       "send in that message.");
    case 112: return _("unrecognized_name: the server has no certificate for the name the "
                       "client gave in server_name.");
    case 115: return _("unknown_psk_identity: the server does not know the pre-shared key the "
                       "client offered.");
    case 116: return _("certificate_required: the server requires a client certificate (mutual "
                       "TLS) and the client sent none.");
    case 120: return _("no_application_protocol: none of the client's ALPN protocols is "
                       "supported by the server.");
    default: return NULL;
    }
}

static const char *
alert_sender_text (HlEvent *event)
{
  gboolean fatal = hl_event_get_alert_level (event) == 2;

  if (hl_event_get_sender (event) == HL_SIDE_CLIENT)
    return fatal ? _("Here the client sends a fatal alert.") : _("Here the client sends a warning.");
  return fatal ? _("Here the server sends a fatal alert.") : _("Here the server sends a warning.");
}

static gboolean
is_certificate_alert (guint8 description)
{
  return (description >= 42 && description <= 46) || description == 48;
}

static void
explain_alert (GString       *text,
               HlEvent       *event,
               const Context *context)
{
  const char *specific = alert_text (hl_event_get_alert_description (event));

  add (text, _("An alert tells the peer that something went wrong or that the connection is "
               "closing. A fatal alert ends the connection at once, and the session cannot be "
               "resumed. In TLS 1.3 every alert except close_notify and user_canceled is fatal."));
  if (specific != NULL)
    add (text, specific);
  else
    add (text, _("This alert description is rare; its number identifies it in the IANA TLS "
                 "Alerts registry."));
  add (text, alert_sender_text (event));
  if (context->failed_check != NULL && is_certificate_alert (hl_event_get_alert_description (event)))
    {
      const char *const *reasons = hl_event_get_reasons (context->failed_check);
      g_autofree char *joined = g_strjoinv ("\n• ", (char **) reasons);
      g_autofree char *line = g_strdup_printf (_("It follows a failed certificate check:\n• %s"),
                                               joined);

      add (text, reasons != NULL && reasons[0] != NULL
                 ? line : _("It follows a failed certificate check."));
    }
  if (context->version == TLS13 && hl_event_get_alert_description (event) == 116)
    add (text, _("In TLS 1.3 the client's handshake has already completed when the server "
                 "rejects it, so the client learns of this alert only when it next reads."));
}

static void
append_details (GString *text,
                HlEvent *event)
{
  static const char *keys[] = { "version", "cipher_suite", "group", "signature_scheme",
                                "alpn", "resumed" };
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const char *value = hl_event_get_detail (event, keys[i]);

      if (value != NULL && *value != '\0')
        g_string_append_printf (line, "\n%s: %s", keys[i], value);
    }
  if (line->len > 0)
    {
      g_autofree char *paragraph = g_strdup_printf (_("Negotiated:%s"), line->str);

      add (text, paragraph);
    }
}

static void
explain_state (GString *text,
               HlEvent *event)
{
  const char *state = hl_event_get_state (event);

  if (g_strcmp0 (state, "connected") == 0)
    add (text, _("The transport connection is established. The TLS handshake starts now, with "
                 "the client's ClientHello; until it completes nothing the endpoints exchange is "
                 "authenticated."));
  else if (g_strcmp0 (state, "handshake_done") == 0)
    {
      add (text, hl_event_get_side (event) == HL_SIDE_CLIENT
           ? _("The handshake completed on the client: the server's Finished verified, keys are "
               "agreed, the server was authenticated as configured, and application data can "
               "flow.")
           : _("The handshake completed on the server: the client's Finished verified, keys are "
               "agreed, the client was authenticated if that was required, and application data "
               "can flow."));
      append_details (text, event);
    }
  else if (g_strcmp0 (state, "handshake_failed") == 0)
    {
      add (text, hl_event_get_side (event) == HL_SIDE_CLIENT
           ? _("The handshake failed on the client, so no keys were agreed and no application "
               "data can be exchanged. The side that detects a problem sends a fatal alert that "
               "tells its peer why, and both close the connection.")
           : _("The handshake failed on the server, so no keys were agreed and no application "
               "data can be exchanged. The side that detects a problem sends a fatal alert that "
               "tells its peer why, and both close the connection."));
      if (hl_event_get_detail (event, "reason") != NULL)
        add (text, hl_event_get_detail (event, "reason"));
    }
  else if (g_strcmp0 (state, "closed") == 0)
    add (text, _("The connection is closed. A clean shutdown is announced with a close_notify "
                 "alert; without one, an application cannot be sure that it received all the "
                 "data."));
  else
    add (text, _("A milestone of the capture, observed by one endpoint."));
}

/**
 * hl_explain_event_title:
 * @event: an event
 *
 * Returns: (transfer full): a short title for @event ("certificate_request",
 *   "Alert: unknown_ca", …)
 */
char *
hl_explain_event_title (HlEvent *event)
{
  g_return_val_if_fail (HL_IS_EVENT (event), NULL);

  switch (hl_event_get_kind (event))
    {
    case HL_EVENT_HANDSHAKE:
      return g_strdup (hl_event_get_handshake_name (event));
    case HL_EVENT_CHANGE_CIPHER_SPEC:
      return g_strdup ("change_cipher_spec");
    case HL_EVENT_RECORD:
      {
        const char *name = hl_registry_content_type_name (hl_event_get_content_type (event));
        return g_strdup_printf (_("Record: %s"), name != NULL ? name : "unknown");
      }
    case HL_EVENT_SECRET:
      return g_strdup (hl_event_get_label (event));
    case HL_EVENT_CERTIFICATE_CHECK:
      return g_strdup (hl_event_get_side (event) == HL_SIDE_CLIENT
                       ? _("Client Checks the Server's Certificate")
                       : _("Server Checks the Client's Certificate"));
    case HL_EVENT_ALERT:
      {
        const char *name = hl_registry_alert_description_name (hl_event_get_alert_description (event));
        return g_strdup_printf (_("Alert: %s"), name != NULL ? name : "unknown");
      }
    case HL_EVENT_STATE:
      return g_strdup (hl_event_get_state (event));
    case HL_EVENT_ERROR:
      return g_strdup_printf (_("Error: %s"), hl_event_get_error_code (event));
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * hl_explain_event:
 * @event: the event to explain
 * @events: (nullable): all events of the capture or log, for context
 *
 * Returns: (transfer full): what @event does and why it is there, in
 *   paragraphs separated by blank lines
 */
char *
hl_explain_event (HlEvent    *event,
                  GListModel *events)
{
  g_autoptr(GString) text = g_string_new (NULL);
  Context context;

  g_return_val_if_fail (HL_IS_EVENT (event), NULL);
  g_return_val_if_fail (events == NULL || G_IS_LIST_MODEL (events), NULL);

  context = build_context (event, events);

  switch (hl_event_get_kind (event))
    {
    case HL_EVENT_HANDSHAKE:
      explain_handshake (text, event, &context);
      break;
    case HL_EVENT_CHANGE_CIPHER_SPEC:
      explain_change_cipher_spec (text, &context);
      break;
    case HL_EVENT_RECORD:
      explain_record (text, event, &context);
      break;
    case HL_EVENT_SECRET:
      add (text, secret_text (hl_event_get_label (event)));
      add (text, _("Key-log lines in the NSS SSLKEYLOGFILE format let Wireshark decrypt a capture "
                   "of this session. Anyone who has them can read the traffic, so share them "
                   "only for test sessions."));
      break;
    case HL_EVENT_CERTIFICATE_CHECK:
      explain_certificate_check (text, event, &context);
      break;
    case HL_EVENT_ALERT:
      explain_alert (text, event, &context);
      break;
    case HL_EVENT_STATE:
      explain_state (text, event);
      break;
    case HL_EVENT_ERROR:
      {
        g_autofree char *line = g_strdup_printf (_("Something failed outside the TLS protocol: "
                                                   "%s. Failures such as a refused connection, a "
                                                   "name that does not resolve or a timeout "
                                                   "happen before or around the handshake, so no "
                                                   "alert is exchanged."),
                                                 hl_event_get_message (event));
        add (text, line);
      }
      break;
    default:
      g_return_val_if_reached (NULL);
    }

  if (hl_event_get_kind (event) == HL_EVENT_HANDSHAKE && hl_event_get_encrypted (event) &&
      context.version != TLS13)
    add (text, _("This message travelled encrypted."));

  g_clear_object (&context.failed_check);
  return g_string_free (g_steal_pointer (&text), FALSE);
}
