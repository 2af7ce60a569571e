// Runs JUnit 4 test classes (the Robolectric tests of the generated platform service) and writes
// one line per test to a results file: "PASS <Class>.<method>" or "FAIL <Class>.<method>", each
// FAIL followed by its failure trace indented by two spaces. Exit code 0 when all passed.
package audiobg.harness;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.runner.Description;
import org.junit.runner.JUnitCore;
import org.junit.runner.Result;
import org.junit.runner.notification.Failure;
import org.junit.runner.notification.RunListener;

public final class JUnitMain {
  public static void main(String[] args) throws Exception {
    PrintWriter out = new PrintWriter(Files.newBufferedWriter(Paths.get(args[0]), StandardCharsets.UTF_8), true);
    List<Class<?>> classes = new ArrayList<>();
    for (int i = 1; i < args.length; i++) classes.add(Class.forName(args[i]));
    JUnitCore core = new JUnitCore();
    core.addListener(
        new RunListener() {
          private final java.util.Set<Description> failed = new java.util.HashSet<>();

          @Override
          public void testFailure(Failure failure) {
            failed.add(failure.getDescription());
            out.println("FAIL " + name(failure.getDescription()));
            for (String line : failure.getTrace().split("\n")) out.println("  " + line);
            System.err.println("FAIL " + name(failure.getDescription()) + "\n" + failure.getTrace());
          }

          @Override
          public void testAssumptionFailure(Failure failure) {
            failed.add(failure.getDescription());
            out.println("SKIP " + name(failure.getDescription()) + " " + failure.getMessage());
          }

          @Override
          public void testIgnored(Description d) {
            out.println("SKIP " + name(d) + " ignored");
          }

          @Override
          public void testFinished(Description d) {
            if (!failed.contains(d)) out.println("PASS " + name(d));
          }
        });
    Result result = core.run(classes.toArray(new Class<?>[0]));
    out.close();
    System.exit(result.wasSuccessful() ? 0 : 1);
  }

  private static String name(Description d) {
    String cls = d.getClassName();
    return cls.substring(cls.lastIndexOf('.') + 1) + "." + d.getMethodName();
  }
}
