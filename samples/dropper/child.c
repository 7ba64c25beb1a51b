/* The child program the dropper sample carries and starts (built as dropper_child.<arch>.exe).
 * It only writes a marker file saying it ran. */
#include "sample.h"

int main(void) {
  sample_marker("dropper_child.txt", "dropper_child: started by the dropper sample\r\n");
  return 0;
}
