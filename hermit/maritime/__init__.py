"""Maritime: AIS positions in (readers, NMEA, validation, the AIS store) and the events
made from them (gaps, encounters, port visits), each following Global Fishing Watch's
published definitions with the parameters in ``resources/maritime/events.yaml``."""
