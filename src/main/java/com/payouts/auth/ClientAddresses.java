package com.payouts.auth;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Client addresses as limits count them: one spelling per address (IPv6 in full form), and an
 * IPv6 client counted by its /64, since one host may hold a whole /64 and rotate through it.
 */
public final class ClientAddresses {
  private ClientAddresses() {}

  /** The key a per-client limit counts under: the address, or its /64 for IPv6. */
  public static String limitKey(String address) {
    byte[] a = bytes(address);
    if (a == null || a.length != 16) return a == null ? address : normalise(address);
    for (int i = 8; i < 16; i++) a[i] = 0;
    try {
      return InetAddress.getByAddress(a).getHostAddress() + "/64";
    } catch (UnknownHostException e) {
      return address;
    }
  }

  /** One spelling per address (IPv6 in full form), so throttle keys and audit rows agree. */
  public static String normalise(String address) {
    byte[] a = bytes(address);
    if (a == null) return address;
    try {
      return InetAddress.getByAddress(a).getHostAddress();
    } catch (UnknownHostException e) {
      return address; // only for a wrong length, which bytes() never returns
    }
  }

  /** The address's bytes, or null when it is no IP literal (never a name lookup). */
  public static byte[] bytes(String literal) {
    if (literal == null || literal.isEmpty()) return null;
    String s = literal.startsWith("[") && literal.endsWith("]") ? literal.substring(1, literal.length() - 1) : literal;
    return NetUtil.createByteArrayFromIpAddressString(s);
  }
}
