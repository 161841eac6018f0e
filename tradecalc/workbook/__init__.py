"""tradecalc.workbook"""
