// Small JVM-side helper of the generated-apps harness (scripts/test-apps.mjs). One JVM start per
// batch of work instead of one per compiler call keeps the run inside a few minutes on 2 cores.
//
//   classfiles-for-javac <in.jar> <out.jar>  copy the .class entries of a jar, lowering class-file
//                                            versions newer than this JVM reads (compile-only use)
//   aar-classes <in.aar> <out.jar>           the classes.jar inside an Android library archive
//   extract <zip> <entry> <out>              one entry of a zip, as a file
//   jobs <dir>                               run <dir>/*.job in name order; each job's first line
//                                            is "javac" or "kotlinc", the other lines are its
//                                            arguments; writes <name>.log and <name>.rc
package audiobg.harness;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

public final class Harness {
  public static void main(String[] args) throws Exception {
    switch (args.length == 0 ? "" : args[0]) {
      case "classfiles-for-javac":
        classfilesForJavac(Paths.get(args[1]), Paths.get(args[2]));
        break;
      case "aar-classes":
        extract(Paths.get(args[1]), "classes.jar", Paths.get(args[2]));
        break;
      case "extract":
        extract(Paths.get(args[1]), args[2], Paths.get(args[3]));
        break;
      case "jobs":
        runJobs(Paths.get(args[1]));
        break;
      default:
        System.err.println("usage: Harness classfiles-for-javac|aar-classes|extract|jobs ...");
        System.exit(2);
    }
  }

  // The android-all jars of API 36+ are compiled for Java 21 (class-file version 65), which javac
  // 17 refuses to read even as a classpath. Their signatures use nothing Java 17 cannot express,
  // so a copy with the version field lowered is an exact compile-time view of the same API.
  static void classfilesForJavac(Path in, Path out) throws Exception {
    int max = 44 + Runtime.version().feature();
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    int lowered = 0;
    try (ZipFile zip = new ZipFile(in.toFile());
        ZipOutputStream zos = new ZipOutputStream(Files.newOutputStream(tmp))) {
      zos.setLevel(1);
      for (ZipEntry e : java.util.Collections.list(zip.entries())) {
        String name = e.getName();
        if (e.isDirectory() || !name.endsWith(".class")) continue;
        byte[] bytes;
        try (InputStream is = zip.getInputStream(e)) {
          bytes = is.readAllBytes();
        }
        int major = ((bytes[6] & 0xff) << 8) | (bytes[7] & 0xff);
        if (major > max) {
          bytes[6] = (byte) (max >> 8);
          bytes[7] = (byte) max;
          lowered++;
        }
        zos.putNextEntry(new ZipEntry(name));
        zos.write(bytes);
        zos.closeEntry();
      }
    }
    Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    System.out.println("lowered " + lowered + " class files to version " + max);
  }

  static void extract(Path zipPath, String entry, Path out) throws Exception {
    try (ZipFile zip = new ZipFile(zipPath.toFile())) {
      ZipEntry e = zip.getEntry(entry);
      if (e == null) throw new IllegalArgumentException(entry + " not found in " + zipPath);
      Files.createDirectories(out.toAbsolutePath().getParent());
      Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
      try (InputStream is = zip.getInputStream(e)) {
        Files.copy(is, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  static void runJobs(Path dir) throws Exception {
    List<Path> jobs;
    try (Stream<Path> s = Files.list(dir)) {
      jobs = s.filter(p -> p.toString().endsWith(".job")).sorted().collect(Collectors.toList());
    }
    for (Path job : jobs) {
      List<String> lines = Files.readAllLines(job, StandardCharsets.UTF_8);
      String kind = lines.get(0).trim();
      String[] jobArgs = lines.subList(1, lines.size()).stream().filter(l -> !l.isEmpty()).toArray(String[]::new);
      String base = job.getFileName().toString().replaceFirst("\\.job$", "");
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      int rc;
      long t0 = System.nanoTime();
      try (PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
        try {
          rc = kind.equals("javac") ? javac(jobArgs, ps) : kotlinc(jobArgs, ps);
        } catch (Throwable t) {
          t.printStackTrace(ps);
          rc = 99;
        }
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      Files.write(dir.resolve(base + ".log"), buf.toByteArray());
      Files.writeString(dir.resolve(base + ".rc"), rc + " " + ms + "\n");
      System.out.println(base + ": " + (rc == 0 ? "ok" : "failed (" + rc + ")") + " in " + ms + " ms");
    }
  }

  static int javac(String[] args, PrintStream out) {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    if (compiler == null) throw new IllegalStateException("no javac in this Java runtime (a JDK is needed, not a JRE)");
    return compiler.run(null, out, out, expandArgFiles(args));
  }

  static int kotlinc(String[] args, PrintStream out) throws Exception {
    // A fresh compiler object per job (an instance keeps per-run state); the classes stay loaded
    // and JIT-compiled, which is what makes the later jobs fast.
    Class<?> k = Class.forName("org.jetbrains.kotlin.cli.jvm.K2JVMCompiler");
    Object compiler = k.getDeclaredConstructor().newInstance();
    Method exec = k.getMethod("exec", PrintStream.class, String[].class);
    Object exit = exec.invoke(compiler, out, (Object) expandArgFiles(args));
    // ExitCode enum: OK, COMPILATION_ERROR, INTERNAL_ERROR, SCRIPT_EXECUTION_ERROR, OOM_ERROR
    String name = exit.toString();
    return name.equals("OK") ? 0 : name.equals("COMPILATION_ERROR") ? 1 : 2;
  }

  /** javac's own @file handling splits on spaces; the harness writes one argument per line. */
  static String[] expandArgFiles(String[] args) {
    List<String> out = new ArrayList<>();
    for (String a : args) {
      if (a.startsWith("@@")) {
        try {
          for (String l : Files.readAllLines(Paths.get(a.substring(2)), StandardCharsets.UTF_8)) if (!l.isEmpty()) out.add(l);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      } else out.add(a);
    }
    return out.toArray(new String[0]);
  }
}
