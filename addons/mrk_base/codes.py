"""The codes of the account manager's functions (1.1 … 9.3), by name.

The responsibility matrix (``mrk.function``, function_data.xml) holds one
record per code; code that schedules, closes or looks up the activities of
a function names it with the constant below, so a search for the name finds
every use. tests/test_module.py checks that the constants and the matrix
agree."""

# Control of expiring contracts
EXPIRING_CONTRACTS = '1.1'
# Calls to counterparties about contract prolongation or renewal
PROLONGATION_CALL = '1.2'
# Counterparties' change requests passed to the head for decision
CHANGE_REQUEST = '1.3'
# Non-standard contracts: requisites check and approval by the head
NON_STANDARD_CONTRACT = '1.4'
# Sending the company card to the counterparty by e-mail
COMPANY_CARD = '1.5'

# Field job request with an open date
FIELD_JOB_REQUEST = '2.1'
# Signing the field job by the head
FIELD_JOB_SIGNATURE = '2.2'
# Registering the field job in the journal
FIELD_JOB_REGISTRATION = '2.3'
# Agreeing the date and time of work with the counterparty
FIELD_JOB_AGREEMENT = '2.4'
# Notifying the cash-collection service and the technical service
SERVICES_NOTICE = '2.5'
# Filling in the terminal handover act
HANDOVER_ACT = '2.6'
# Issuing the field job and the handover act to the technician
FIELD_JOB_ISSUE = '2.7'
# Control call to the on-site contact before the technician's visit
CONTROL_CALL = '2.8'
# Technician's problems on site passed to the head for decision
SITE_PROBLEM = '2.9'
# Technician's end-of-day report marked in the journal
END_OF_DAY = '2.10'
# Re-agreeing the dates of work with the counterparty
FIELD_JOB_REAGREEMENT = '2.11'

# Filling in document templates (contract, price protocol, handover act,
# supplementary agreements)
DOCUMENT_TEMPLATES = '3.1'

# Entering the counterparty's requisites into 1C
REQUISITES_1C = '4.1'
# Adding or changing the contract in 1C
CONTRACT_1C = '4.2'
# Adding or removing the terminal in 1C
TERMINAL_1C = '4.3'
# Attaching the contract scan in 1C
CONTRACT_SCAN_1C = '4.4'

# Rent table: new contract
RENT_NEW_CONTRACT = '5.1'
# Rent table: new terminal with its date
RENT_NEW_TERMINAL = '5.2'
# Rent table: terminal removal with its date
RENT_TERMINAL_REMOVAL = '5.3'
# Rent table: change of payment form or amount from a date
RENT_CHANGE = '5.4'

# Document delivery request
DELIVERY_REQUEST = '6.1'
# Registering the delivery request in the journal
DELIVERY_REGISTRATION = '6.2'
# Handing delivery requests and documents to development managers
DELIVERY_HANDING = '6.3'
# Receiving completed delivery requests and documents
DELIVERY_RECEIPT = '6.4'
# Control of document return from counterparties
DOCUMENT_RETURN_CONTROL = '6.5'
# Reminding counterparties to return documents
DOCUMENT_RETURN_REMINDER = '6.6'
# Informing the head of delayed document return
DOCUMENT_RETURN_DELAY = '6.7'
# Copying and scanning contracts
CONTRACT_SCANNING = '6.8'
# Handing original contracts to accounting for storage
ORIGINALS_TO_ACCOUNTING = '6.9'
# Handing counterparties' invoices to accounting
INVOICES_TO_ACCOUNTING = '6.10'
# Handing acts of work and invoice-factura to accounting
ACTS_TO_ACCOUNTING = '6.11'

# Recording terminal downtime in the point work journal
DOWNTIME_RECORD = '7.1'
# Calling counterparties about the causes of downtime
DOWNTIME_CALL = '7.2'
# Informing the head of downtime longer than a day
DOWNTIME_LONG = '7.3'
# Initiating repair, replacement, painting or reinforcement
REPAIR_INITIATION = '7.4'
# Counterparties' payment complaints: journal, accounting, answer
PAYMENT_COMPLAINT = '7.5'
# A complaint's question to accounting and its answer (part of 7.5)
COMPLAINT_ACCOUNTING_QUESTION = '7.5.1'

# Creating and updating cash rent routes
CASH_ROUTES = '8.1'
# Computing the month's cash rent from the rent table
CASH_RENT_MONTH = '8.2'
# Preliminary cash request to accounting
CASH_REQUEST = '8.3'
# Payment permits for each route
PAYMENT_PERMIT = '8.4'
# Payment requests for each route
PAYMENT_REQUEST = '8.5'
# Control of the cash rent delivery
CASH_DELIVERY_CONTROL = '8.6'
# Reports of development managers on the cash delivery
CASH_DELIVERY_REPORT = '8.7'
# Receipts handed to accounting with an inventory
RECEIPTS_INVENTORY = '8.8'

# Reconciliation with the monitoring department
MONITORING_RECONCILIATION = '9.1'
# Non-cash payment registry for the next month
PAYMENT_REGISTRY = '9.2'
# Reconciliation of the registry with accounting
REGISTRY_RECONCILIATION = '9.3'
