package dev.podkit.tcpambassador;

final class AotTraining {
  private AotTraining() {}

  static void run() {}
}
