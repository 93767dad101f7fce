package io.gitversion.processor.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The catalog's hazards and their wire form on {@code Change.risks} name the same things. */
class HazardsTest {
  @Test
  void theWireHazardsAreTheCatalogsHazards() {
    assertEquals(Arrays.stream(io.gitversion.catalog.ddl.Hazard.values()).map(Enum::name).toList(),
        Arrays.stream(io.gitversion.schemas.Hazard.values()).map(Enum::name).toList());
  }
}
